namespace Levain.Evals.Statistics;

/// <summary>
/// Standard errors of means (docs/evals.md, "Statistics").
/// <list type="bullet">
/// <item>Plain: s / √n with the sample standard deviation s (n − 1 in the denominator).</item>
/// <item>Paired: the plain error of the per-item differences a_i − b_i of two runs on the same items.</item>
/// <item>Clustered (cluster-robust, CR1): Var = C/(C−1) · Σ_c (Σ_{i∈c} (x_i − x̄))² / n² over C clusters; with one
/// row per cluster it equals the plain error.</item>
/// </list>
/// </summary>
public static class StandardErrors
{
    public static double? Plain(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n < 2)
        {
            return null;
        }
        var mean = values.Average();
        var sumOfSquares = values.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(sumOfSquares / (n - 1) / n);
    }

    public static double? Paired(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Count, b.Count);
        return Plain(a.Zip(b, (x, y) => x - y).ToArray());
    }

    public static double? Clustered(IReadOnlyList<double> values, IReadOnlyList<string> clusters)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Count, clusters.Count);
        var n = values.Count;
        if (n < 2)
        {
            return null;
        }
        var mean = values.Average();
        var residualSums = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            residualSums[clusters[i]] = residualSums.GetValueOrDefault(clusters[i]) + (values[i] - mean);
        }
        var c = residualSums.Count;
        if (c < 2)
        {
            return null;
        }
        var sum = residualSums.Values.Sum(s => s * s);
        return Math.Sqrt((double)c / (c - 1) * sum) / n;
    }

    /// <summary>The mean with the plain error, or the clustered error when some cluster holds more than one row.</summary>
    public static MetricEstimate Mean(IReadOnlyList<double> values, IReadOnlyList<string> clusters)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(clusters);
        var mean = values.Count == 0 ? double.NaN : values.Average();
        var isClustered = clusters.Distinct(StringComparer.Ordinal).Count() < clusters.Count;
        return isClustered
            ? new MetricEstimate(mean, Clustered(values, clusters), values.Count, "clustered")
            : new MetricEstimate(mean, Plain(values), values.Count, "mean");
    }
}
