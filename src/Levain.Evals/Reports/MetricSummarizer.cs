using Levain.Evals.Metrics;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>
/// Turns rows into metric estimates: per-row metrics are averaged with a plain or clustered standard error; ECE and
/// the perplexity family are computed over the whole set with a seeded cluster-bootstrap error.
/// </summary>
public static class MetricSummarizer
{
    public const int BootstrapResamples = 1000;

    public static IReadOnlyDictionary<string, MetricEstimate> Summarize(IReadOnlyList<ItemResult> rows, IReadOnlyList<string> metrics, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metrics);
        var result = new SortedDictionary<string, MetricEstimate>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (Estimate(metric, rows, seed) is { } estimate)
            {
                result[metric] = estimate;
            }
        }
        return result;
    }

    public static MetricEstimate? Estimate(string metric, IReadOnlyList<ItemResult> rows, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var relevant = rows.Where(r => Applies(metric, r)).ToArray();
        if (relevant.Length == 0)
        {
            return null;
        }
        if (MetricNames.IsRowMean(metric))
        {
            return StandardErrors.Mean([.. relevant.Select(r => r.Scores[metric])], [.. relevant.Select(r => r.Cluster)]);
        }
        var value = Aggregate(metric, relevant);
        var error = Bootstrap.StandardError(relevant, r => r.Cluster, sample => Aggregate(metric, sample), seed, BootstrapResamples);
        return new MetricEstimate(value, error, relevant.Length, "bootstrap");
    }

    public static bool Applies(string metric, ItemResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return metric switch
        {
            MetricNames.Ece => row.Confidence is not null,
            MetricNames.Perplexity or MetricNames.WordPerplexity or MetricNames.BytePerplexity or MetricNames.BitsPerByte => row.Rolling is not null,
            _ => row.Scores.ContainsKey(metric),
        };
    }

    /// <summary>The metric's value over exactly these rows (a mean for per-row metrics).</summary>
    public static double Aggregate(string metric, IReadOnlyList<ItemResult> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return metric switch
        {
            MetricNames.Ece => Calibration.ExpectedCalibrationError(
                [.. rows.Select(r => r.Confidence!.Value)], [.. rows.Select(r => r.Scores[MetricNames.Acc])]),
            MetricNames.Perplexity or MetricNames.WordPerplexity or MetricNames.BytePerplexity or MetricNames.BitsPerByte =>
                PerplexityMetrics.Compute(metric, [.. rows.Select(r => r.Rolling!)]),
            _ => rows.Average(r => r.Scores[metric]),
        };
    }
}
