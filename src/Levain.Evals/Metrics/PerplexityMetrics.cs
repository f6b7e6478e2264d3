using Levain.Evals.Backends;
using Levain.Evals.Scoring;

namespace Levain.Evals.Metrics;

/// <summary>
/// The perplexity family over whole texts (lm-evaluation-harness's weighted forms), with LL_d a text's summed
/// log-likelihood: <c>perplexity</c> = exp(−Σ LL_d / Σ tokens_d) (per token; the per-document form exp(−mean LL_d)
/// overflows on real documents); <c>word_perplexity</c> = exp(−Σ LL_d / Σ words_d); <c>byte_perplexity</c> =
/// exp(−Σ LL_d / Σ bytes_d); <c>bits_per_byte</c> = −Σ LL_d / Σ bytes_d / ln 2. A value too large for a double is
/// +∞ here and null in JSON reports.
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
            MetricNames.Perplexity => Math.Exp(-sumLl / texts.Sum(t => t.TokenCount)),
            MetricNames.WordPerplexity => Math.Exp(-sumLl / texts.Sum(t => t.WordCount)),
            MetricNames.BytePerplexity => Math.Exp(-sumLl / texts.Sum(t => t.ByteCount)),
            MetricNames.BitsPerByte => -sumLl / texts.Sum(t => t.ByteCount) / Math.Log(2),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a perplexity metric"),
        };
    }

    /// <summary>
    /// lm-eval's word count, <c>len(re.split(r"\s+", text))</c>: one more than the number of white-space runs, so
    /// leading or trailing white space counts an (empty) word and an empty text counts one.
    /// </summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 1;
        var isInRun = false;
        foreach (var c in text)
        {
            var isSpace = TokenizedScoring.IsPythonWhiteSpace(c);
            if (isSpace && !isInRun)
            {
                count++;
            }
            isInRun = isSpace;
        }
        return count;
    }
}
