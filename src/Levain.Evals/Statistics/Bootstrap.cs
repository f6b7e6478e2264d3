namespace Levain.Evals.Statistics;

/// <summary>
/// A seeded cluster bootstrap for statistics that are not means (ECE, perplexity): resample whole clusters with
/// replacement <c>resamples</c> times and take the standard deviation of the statistic over the resamples.
/// The same seed gives the same error.
/// </summary>
public static class Bootstrap
{
    public static double? StandardError<T>(
        IReadOnlyList<T> rows, Func<T, string> clusterOf, Func<IReadOnlyList<T>, double> statistic, int seed, int resamples = 1000)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(clusterOf);
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);
        var clusters = rows.GroupBy(clusterOf, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        if (clusters.Length < 2)
        {
            return null;
        }
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var sample = new List<T>(rows.Count);
        for (var b = 0; b < resamples; b++)
        {
            sample.Clear();
            for (var c = 0; c < clusters.Length; c++)
            {
                sample.AddRange(clusters[random.Next(clusters.Length)]);
            }
            var value = statistic(sample);
            if (double.IsFinite(value))
            {
                values.Add(value);
            }
        }
        if (values.Count < 2)
        {
            return null;
        }
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
