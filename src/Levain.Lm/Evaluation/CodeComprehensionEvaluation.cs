using Levain.Evals.Backends;
using Levain.Synthetic;
using Levain.Synthetic.Code.Items;

namespace Levain.Lm.Evaluation;

/// <summary>
/// The held-out code-comprehension task the trainer reports on: items from <see cref="SeedRanges.HeldOut"/> (the same
/// items for every trial of a study), scored by comparing the log-likelihoods of <c>" " + choice</c> after the context.
/// </summary>
public static class CodeComprehensionEvaluation
{
    /// <summary>The first <paramref name="count"/> held-out items at the given difficulty (default easy).</summary>
    public static IReadOnlyList<CodeItem> HeldOutItems(int count, CodeItemOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return CodeItemGenerator.Generate(options ?? CodeItemOptions.Easy, SeedRanges.HeldOut.Start, count);
    }

    public static async Task<HeldOutScore> ScoreAsync(IScoringBackend backend, IReadOnlyList<CodeItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("no items to score", nameof(items));
        }
        var requests = items.SelectMany(item => item.Choices.Select(choice => new ScoreRequest(item.Context, " " + choice))).ToList();
        IReadOnlyList<ContinuationScore> scores = await backend.ScoreAsync(requests, cancellationToken).ConfigureAwait(false);
        double nllSum = 0;
        int correct = 0;
        int offset = 0;
        int choices = items[0].Choices.Count;
        foreach (CodeItem item in items)
        {
            var logLikelihoods = scores.Skip(offset).Take(item.Choices.Count).Select(s => s.LogLikelihood).ToList();
            offset += item.Choices.Count;
            nllSum -= logLikelihoods[item.Gold];
            int best = logLikelihoods.IndexOf(logLikelihoods.Max());
            if (best == item.Gold)
            {
                correct++;
            }
        }
        return new HeldOutScore(nllSum / items.Count, (double)correct / items.Count, items.Count, Math.Log(choices));
    }
}
