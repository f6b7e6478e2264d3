namespace Levain.Tuning.Modeling;

/// <summary>
/// <see cref="OutputTransformKind.Power"/> (as HEBO does): v = sign × y (larger is better) is standardised, put through
/// <see cref="YeoJohnson"/> with λ fitted by maximum likelihood on the fitted values, and standardised again, so the
/// target has mean 0 and standard deviation 1 like the other transforms. Yeo-Johnson is increasing for every λ, so the
/// order is kept; unlike the rank transform, the spacing of the outputs is kept up to a smooth compression or stretch
/// of one tail (ψ(−x, λ) = −ψ(x, 2 − λ): the sign convention does not change the fit). Outputs outside the fitted range
/// map as the nearest extreme.
/// </summary>
internal sealed class PowerOutputTransform : OutputTransform
{
    private readonly double _sign;
    private readonly double _low;
    private readonly double _high;
    private readonly double _inputMean;
    private readonly double _inputScale;
    private readonly double _outputMean;
    private readonly double _outputScale;

    public PowerOutputTransform(IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        _sign = isMaximizing ? 1.0 : -1.0;
        var sorted = SignedSorted(successfulOutputs, _sign);
        _inputScale = StandardDeviation(sorted);
        if (!(_inputScale > 0))
        {
            return;
        }
        (_low, _high) = (sorted[0], sorted[^1]);
        _inputMean = sorted.Average();
        var standardised = sorted.Select(v => (v - _inputMean) / _inputScale).ToArray();
        Lambda = YeoJohnson.FitLambda(standardised);
        var transformed = standardised.Select(x => YeoJohnson.Apply(x, Lambda)).ToArray();
        _outputMean = transformed.Average();
        _outputScale = StandardDeviation(transformed);
    }

    /// <summary>The fitted λ (1 when there is nothing to fit).</summary>
    public double Lambda { get; } = 1.0;

    public override double Transform(double output)
    {
        if (!(_outputScale > 0) || !double.IsFinite(output))
        {
            return 0.0;
        }
        var x = (Math.Clamp(_sign * output, _low, _high) - _inputMean) / _inputScale;
        return (YeoJohnson.Apply(x, Lambda) - _outputMean) / _outputScale;
    }
}
