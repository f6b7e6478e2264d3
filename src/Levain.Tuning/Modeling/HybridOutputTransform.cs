namespace Levain.Tuning.Modeling;

/// <summary>
/// <see cref="OutputTransformKind.Hybrid"/>: rank below the median, magnitude above. With v = sign × y (larger is
/// better) and m its median, an output at or above m maps to (v − m)/s, s the robust standard deviation (1.4826 × MAD),
/// and one below m to the <see cref="QuantileOutputTransform"/> score (Φ⁻¹ of its empirical CDF, at most 0). Both
/// pieces are 0 at the median and increasing, so the whole is monotone; the bad half is flattened as by the rank
/// transform while the depth of the good outputs is kept. Outputs outside the fitted range map as the nearest extreme.
/// </summary>
internal sealed class HybridOutputTransform : OutputTransform
{
    private readonly QuantileOutputTransform _rank;
    private readonly double _sign;
    private readonly double _median;
    private readonly double _high;
    private readonly double _scale;

    public HybridOutputTransform(IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        _sign = isMaximizing ? 1.0 : -1.0;
        _rank = new QuantileOutputTransform(successfulOutputs, isMaximizing);
        var sorted = SignedSorted(successfulOutputs, _sign);
        if (sorted.Length < 2)
        {
            return;
        }
        _median = Median(sorted);
        _high = sorted[^1];
        _scale = RobustScale(sorted, _median);
    }

    public override double Transform(double output)
    {
        if (!(_scale > 0) || !double.IsFinite(output))
        {
            return 0.0;
        }
        var v = _sign * output;
        return v >= _median ? (Math.Min(v, _high) - _median) / _scale : Math.Min(0.0, _rank.Transform(output));
    }
}
