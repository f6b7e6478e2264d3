namespace Levain.Tuning.Modeling;

/// <summary>
/// <see cref="OutputTransformKind.Blend"/>: the mean of the <see cref="QuantileOutputTransform"/> score and the
/// <see cref="StandardizedOutputTransform"/> score. Both are non-decreasing in v = sign × y with a spread near 1, so the
/// mean is too; it keeps half of the rank transform's resolution among the good outputs and half of the depth of a
/// rare deep one.
/// </summary>
internal sealed class BlendedOutputTransform : OutputTransform
{
    private readonly QuantileOutputTransform _rank;
    private readonly StandardizedOutputTransform _standardized;

    public BlendedOutputTransform(IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        _rank = new QuantileOutputTransform(successfulOutputs, isMaximizing);
        _standardized = new StandardizedOutputTransform(successfulOutputs, isMaximizing);
    }

    public override double Transform(double output) => 0.5 * (_rank.Transform(output) + _standardized.Transform(output));
}
