using Levain.Evals.Scoring;

namespace Levain.Evals.Metrics;

/// <summary>
/// The perplexity family over whole texts (docs/evals.md, "Metrics"), with LL_d a text's summed log-likelihood:
/// <c>perplexity</c> = exp(−mean_d LL_d) (the per-item definition of the spec); <c>word_perplexity</c> =
/// exp(−Σ LL_d / Σ words_d); <c>byte_perplexity</c> = exp(−Σ LL_d / Σ bytes_d); <c>bits_per_byte</c> =
/// −Σ LL_d / Σ bytes_d / ln 2.
/// </summary>
public static class PerplexityMetrics
{
    public static double Compute(string metric, IReadOnlyList<RollingResult> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return double.NaN;
        }
        var sumLl = texts.Sum(t => t.LogLikelihood);
        return metric switch
        {
            MetricNames.Perplexity => Math.Exp(-texts.Average(t => t.LogLikelihood)),
            MetricNames.WordPerplexity => Math.Exp(-sumLl / texts.Sum(t => t.WordCount)),
            MetricNames.BytePerplexity => Math.Exp(-sumLl / texts.Sum(t => t.ByteCount)),
            MetricNames.BitsPerByte => -sumLl / texts.Sum(t => t.ByteCount) / Math.Log(2),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a perplexity metric"),
        };
    }

    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
