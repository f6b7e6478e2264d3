namespace Levain.Tuning.Modeling;

/// <summary>
/// docs/tuner.md A5 output transform: maps a raw output to the output model's target, monotone and signed by the
/// direction (+1 maximise, −1 minimise) so larger is always better inside the model. Fitted on the finite successful
/// outputs; the kind is <see cref="CarbsOptions.OutputTransform"/>.
/// </summary>
internal abstract class OutputTransform
{
    /// <summary>Transformed value (larger is better); 0 when there is no information.</summary>
    public abstract double Transform(double output);

    /// <summary>The transform of <paramref name="kind"/> fitted on <paramref name="successfulOutputs"/> (non-finite ones ignored).</summary>
    public static OutputTransform Create(OutputTransformKind kind, IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        ArgumentNullException.ThrowIfNull(successfulOutputs);
        return kind switch
        {
            OutputTransformKind.Quantile => new QuantileOutputTransform(successfulOutputs, isMaximizing),
            OutputTransformKind.Standardize => new StandardizedOutputTransform(successfulOutputs, isMaximizing),
            OutputTransformKind.Power => new PowerOutputTransform(successfulOutputs, isMaximizing),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a fitted output transform (Auto is resolved by the caller)."),
        };
    }

    /// <summary>The finite outputs times the direction sign (larger is better), ascending.</summary>
    protected static double[] SignedSorted(IReadOnlyList<double> outputs, double sign) =>
        [.. outputs.Where(double.IsFinite).Select(y => sign * y).Order()];

    /// <summary>Median of ascending values.</summary>
    protected static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);

    /// <summary>
    /// 1.4826 × the median absolute deviation from <paramref name="median"/> (a standard deviation for normal data);
    /// the sample standard deviation when that is 0 (over half the values tie), and 0 when all values are equal.
    /// </summary>
    protected static double RobustScale(double[] sorted, double median)
    {
        var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToArray();
        var mad = 1.4826 * Median(deviations);
        return mad > 0 ? mad : StandardDeviation(sorted);
    }

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values.</summary>
    protected static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0.0;
        }
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
