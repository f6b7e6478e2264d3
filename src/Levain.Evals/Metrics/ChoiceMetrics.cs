using Levain.Evals.Scoring;

namespace Levain.Evals.Metrics;

/// <summary>
/// Per-item multiple-choice metrics (docs/evals.md, "Metrics"), with LL_i the summed log-likelihood of choice i's
/// continuation and G the set of gold positions:
/// <list type="bullet">
/// <item><c>acc</c> = 1[argmax_i LL_i ∈ G]; ties go to the lowest position (numpy's argmax).</item>
/// <item><c>acc_norm</c> = 1[argmax_i LL_i / chars(s_i) ∈ G] with chars counted in Unicode code points (Python's
/// <c>len</c>); <c>acc_bytes</c> divides by UTF-8 bytes of s_i; <c>acc_tokens</c> by the continuation's token count.</item>
/// <item><c>acc_pmi</c> = 1[argmax_i (LL_i − LL_i|unconditional) ∈ G].</item>
/// <item><c>p_correct</c> = Σ_{g∈G} softmax(LL)_g; <c>nll_correct</c> = −log Σ_{g∈G} exp(LL_g) (= −LL_gold for one
/// gold); <c>nll_correct_per_byte</c> = nll_correct / UTF-8 bytes of the (first) gold answer s_gold.</item>
/// <item><c>brier</c> = Σ_i (softmax(LL)_i − y_i)² with y_i = 1/|G| on gold positions, 0 elsewhere.</item>
/// </list>
/// The confidence used by ECE and the abstention curve is max_i softmax(LL)_i.
/// </summary>
public static class ChoiceMetrics
{
    public static ChoiceOutcome Compute(IReadOnlyList<ChoiceResult> choices, IReadOnlyList<int> goldPositions)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(goldPositions);
        ArgumentOutOfRangeException.ThrowIfLessThan(choices.Count, 1);
        ArgumentOutOfRangeException.ThrowIfZero(goldPositions.Count);
        var ll = choices.Select(c => c.LogLikelihood).ToArray();
        var p = Softmax(ll);
        var predicted = ArgMax(ll);
        double Hit(Func<ChoiceResult, double> key) => goldPositions.Contains(ArgMax(choices.Select(key).ToArray())) ? 1 : 0;

        var scores = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Acc] = goldPositions.Contains(predicted) ? 1 : 0,
            [MetricNames.AccNorm] = Hit(c => c.LogLikelihood / Math.Max(c.CharCount, 1)),
            [MetricNames.AccBytes] = Hit(c => c.LogLikelihood / Math.Max(c.ByteCount, 1)),
            [MetricNames.AccTokens] = Hit(c => c.LogLikelihood / Math.Max(c.TokenCount, 1)),
        };
        if (choices.All(c => c.UnconditionalLogLikelihood is not null))
        {
            scores[MetricNames.AccPmi] = Hit(c => c.LogLikelihood - c.UnconditionalLogLikelihood!.Value);
        }
        var nll = -LogSumExp(goldPositions.Select(g => ll[g]).ToArray());
        scores[MetricNames.NllCorrect] = nll;
        scores[MetricNames.NllCorrectPerByte] = nll / Math.Max(choices[goldPositions[0]].ByteCount, 1);
        scores[MetricNames.PCorrect] = goldPositions.Sum(g => p[g]);
        var target = 1.0 / goldPositions.Count;
        scores[MetricNames.Brier] = p.Select((pi, i) => Math.Pow(pi - (goldPositions.Contains(i) ? target : 0), 2)).Sum();
        return new ChoiceOutcome(scores, predicted, p.Max());
    }

    public static double[] Softmax(IReadOnlyList<double> logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    public static double LogSumExp(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var max = values.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>Index of the largest value; the first one on ties.</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
