namespace Levain.Bench.Tuner.Runs;

/// <summary>Median and quartiles by linear interpolation between order statistics (R's type 7). +∞ sorts last.</summary>
public static class Quantiles
{
    public static double Of(IReadOnlyList<double> values, double probability)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var position = probability * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        if (fraction == 0.0 || sorted[lower] == sorted[upper])
        {
            return sorted[lower];
        }
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
    }

    public static QuantileSummary Summarize(IReadOnlyList<double> values) =>
        new(Of(values, 0.5), Of(values, 0.25), Of(values, 0.75));
}
