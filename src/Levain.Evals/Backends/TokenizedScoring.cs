using System.Text;

namespace Levain.Evals.Backends;

/// <summary>
/// The field's tokenization convention (docs/evals.md, "Model interface") built on an <see cref="ITokenizingBackend"/>'s
/// token-level primitives, so every tokenizing backend (and the completions server) splits context and continuation
/// the same way: trailing spaces of the context move onto the continuation, and the continuation's tokens are
/// <c>encode(context + continuation)</c> minus the first <c>|encode(context)|</c> tokens. With an empty context the
/// first token has no prediction and is left out of the score.
/// </summary>
public static class TokenizedScoring
{
    /// <summary>
    /// lm-evaluation-harness's split: the trailing whitespace of <paramref name="context"/> (Python's <c>str.rstrip()</c>:
    /// spaces, tabs, newlines, every Unicode white space) moves onto the front of <paramref name="continuation"/>.
    /// </summary>
    public static (string Context, string Continuation) MoveTrailingSpaces(string context, string continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var end = context.Length;
        while (end > 0 && IsPythonWhiteSpace(context[end - 1]))
        {
            end--;
        }
        return (context[..end], context[end..] + continuation);
    }

    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit: Unicode white space plus the separators U+001C–U+001F.</summary>
    public static bool IsPythonWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    /// <summary>The token ids of context + continuation and the index of the first continuation token.</summary>
    public static (IReadOnlyList<int> WholeIds, int ContinuationStart, string Continuation) Split(ITokenizingBackend backend, ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(request);
        var (context, continuation) = MoveTrailingSpaces(request.Context, request.Continuation);
        var contextCount = context.Length == 0 ? 0 : backend.Encode(context).Count;
        var whole = backend.Encode(context + continuation);
        return (whole, Math.Min(contextCount, whole.Count), continuation);
    }

    public static async Task<IReadOnlyList<ContinuationScore>> ScoreAsync(
        ITokenizingBackend backend, IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new ContinuationScore[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var (whole, start, continuation) = Split(backend, requests[i]);
            var scores = await backend.ScoreTokensAsync(whole, cancellationToken).ConfigureAwait(false);
            // scores[k] belongs to whole[k + 1]; the continuation's tokens are whole[start..].
            var first = Math.Max(start - 1, 0);
            results[i] = new ContinuationScore(scores.Skip(first).ToArray(), Encoding.UTF8.GetByteCount(continuation));
        }
        return results;
    }

    public static async Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(
        ITokenizingBackend backend, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(texts);
        var results = new ContinuationScore[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var scores = await backend.ScoreTokensAsync(backend.Encode(texts[i]), cancellationToken).ConfigureAwait(false);
            results[i] = new ContinuationScore(scores, Encoding.UTF8.GetByteCount(texts[i]));
        }
        return results;
    }

    public static async Task<IReadOnlyList<string>> GenerateAsync(
        ITokenizingBackend backend, IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(requests);
        var results = new string[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var ids = await backend.GenerateTokensAsync(backend.Encode(request.Prompt), request.MaxTokens, request.Temperature, request.Seed, cancellationToken)
                .ConfigureAwait(false);
            results[i] = CutAtStop(backend.Decode(ids), request.Stop);
        }
        return results;
    }

    /// <summary>The text before the earliest occurrence of any stop sequence (the whole text when none occurs).</summary>
    public static string CutAtStop(string text, IReadOnlyList<string> stop)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stop);
        var end = text.Length;
        foreach (var s in stop)
        {
            if (s.Length == 0)
            {
                continue;
            }
            var at = text.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }
        return text[..end];
    }
}
