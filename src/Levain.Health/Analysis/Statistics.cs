namespace Levain.Health.Analysis;

/// <summary>Robust location and scale for small samples.</summary>
public static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("median of an empty set", nameof(values));
        }
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Median absolute deviation from the median (unscaled).</summary>
    public static double Mad(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        var median = Median(list);
        return Median(list.Select(v => Math.Abs(v - median)));
    }
}
