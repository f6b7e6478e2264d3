namespace Levain.Tuning.Modeling;

/// <summary>
/// <see cref="OutputTransformKind.Standardize"/>: v = sign × y (larger is better), clipped below at median − 3 s (s the
/// robust standard deviation, 1.4826 × MAD) so a diverged run cannot squash the rest — good outputs are never clipped,
/// their depth is the point of this transform — then (v − mean)/sd over the clipped fitted values. Outputs outside the
/// fitted range map as the nearest extreme.
/// </summary>
internal sealed class StandardizedOutputTransform : OutputTransform
{
    /// <summary>Outputs worse than the median by more than this many robust standard deviations are clipped there.</summary>
    public const double BadSideClip = 3.0;

    private readonly double _sign;
    private readonly double _low;
    private readonly double _high;
    private readonly double _mean;
    private readonly double _scale;

    public StandardizedOutputTransform(IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        _sign = isMaximizing ? 1.0 : -1.0;
        var sorted = SignedSorted(successfulOutputs, _sign);
        if (sorted.Length < 2)
        {
            return;
        }
        var median = Median(sorted);
        _low = Math.Max(sorted[0], median - (BadSideClip * RobustScale(sorted, median)));
        _high = sorted[^1];
        var clipped = sorted.Select(v => Math.Max(v, _low)).ToArray();
        _mean = clipped.Average();
        _scale = StandardDeviation(clipped);
    }

    public override double Transform(double output) =>
        _scale > 0 && double.IsFinite(output) ? (Math.Clamp(_sign * output, _low, _high) - _mean) / _scale : 0.0;
}
