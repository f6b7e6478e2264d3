namespace Levain.Evals.Backends;

/// <summary>
/// Splits a long token sequence into disjoint scoring windows the way lm-evaluation-harness does for
/// <c>loglikelihood_rolling</c> (its <c>get_rolling_token_windows</c> with a context length of 1, then
/// <c>make_disjoint_window</c>): the first window predicts the first <c>maxLength</c> tokens after the prefix token;
/// each later window predicts the next at most <c>maxLength</c> tokens, conditioned on the tokens just before them so
/// the input stays <c>maxLength</c> long. Every token is predicted exactly once.
/// </summary>
public static class RollingWindows
{
    /// <summary>One window: the conditioning tokens and the predicted tokens; the model input is Context + Predicted.</summary>
    public readonly record struct Window(IReadOnlyList<int> Context, IReadOnlyList<int> Predicted);

    public static IReadOnlyList<Window> Disjoint(IReadOnlyList<int> tokens, int prefixToken, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var windows = new List<Window>();
        if (tokens.Count == 0)
        {
            return windows;
        }
        var firstLength = Math.Min(maxLength, tokens.Count);
        windows.Add(new Window([prefixToken], Slice(tokens, 0, firstLength)));
        var predicted = firstLength;
        while (predicted < tokens.Count)
        {
            var length = Math.Min(tokens.Count - predicted, maxLength);
            var end = predicted + length;
            // lm-eval's window input is tokens[end - maxLength - 1 .. end - 1]; made disjoint it keeps the part before the
            // predicted tokens: tokens[max(end - maxLength - 1, 0) .. end - length].
            var contextStart = Math.Max(end - maxLength - 1, 0);
            windows.Add(new Window(Slice(tokens, contextStart, predicted), Slice(tokens, predicted, end)));
            predicted = end;
        }
        return windows;
    }

    private static int[] Slice(IReadOnlyList<int> tokens, int start, int end)
    {
        var slice = new int[end - start];
        for (var i = start; i < end; i++)
        {
            slice[i - start] = tokens[i];
        }
        return slice;
    }
}
