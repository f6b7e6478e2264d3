using Levain.Evals.Backends;
using Levain.Evals.Metrics;
using Levain.Evals.Statistics;
using Levain.Synthetic;
using Levain.Synthetic.Code.Items;

namespace Levain.Lm.Evaluation;

/// <summary>
/// The held-out code-comprehension task the trainer reports on: items from <see cref="SeedRanges.HeldOut"/> (the same
/// items for every trial of a study), scored by comparing the log-likelihoods of <c>" " + choice + "\n"</c> after the
/// context: the answer with the terminator every training document puts after it, so a choice that is a prefix of
/// another ("1" of "12") gains nothing from being shorter.
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
        var requests = items.SelectMany(item => item.Choices.Select(choice => new ScoreRequest(item.Context, " " + choice + CodeTextFormat.AnswerTerminator))).ToList();
        IReadOnlyList<ContinuationScore> scores = await backend.ScoreAsync(requests, cancellationToken).ConfigureAwait(false);
        double nllSum = 0;
        var correct = new List<double>(items.Count);
        var nllChoice = new List<double>(items.Count);
        int offset = 0;
        int choices = items[0].Choices.Count;
        foreach (CodeItem item in items)
        {
            var logLikelihoods = new double[item.Choices.Count];
            for (int i = 0; i < logLikelihoods.Length; i++)
            {
                logLikelihoods[i] = scores[offset + i].LogLikelihood;
            }
            offset += logLikelihoods.Length;
            nllSum -= logLikelihoods[item.Gold];
            nllChoice.Add(ChoiceMetrics.LogSumExp(logLikelihoods) - logLikelihoods[item.Gold]);
            correct.Add(ChoiceMetrics.ArgMax(logLikelihoods) == item.Gold ? 1.0 : 0.0);
        }
        return new HeldOutScore(nllSum / items.Count, correct.Average(), items.Count, Math.Log(choices),
            nllChoice.Average(), StandardErrors.Plain(correct) ?? double.NaN, StandardErrors.Plain(nllChoice) ?? double.NaN);
    }
}
