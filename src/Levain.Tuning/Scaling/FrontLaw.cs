namespace Levain.Tuning.Scaling;

/// <summary>
/// The metric along the Pareto front. With three or more points it is <see cref="Saturating"/> (E + s·A·C^−α, see
/// <see cref="SaturatingLaw"/>), and <see cref="ResidualStdDev"/>, <see cref="PredictedOutput"/> and the 90 % interval
/// (<see cref="Lower"/>, <see cref="Upper"/>; null with fewer than four points) are that law's; with two points it is the
/// straight line Intercept + Slope · ln(cost) (no interval). <see cref="Slope"/> and <see cref="Intercept"/> are always
/// the straight line's, kept for comparison: a line in ln cost has no floor and extrapolates a loss below any bound.
/// </summary>
public sealed record FrontLaw(
    double Slope,
    double Intercept,
    double ResidualStdDev,
    int PointCount,
    double? TargetCost,
    double? PredictedOutput,
    double? Lower,
    double? Upper)
{
    /// <summary>The saturating law the prediction uses (null with fewer than three points: the line's).</summary>
    public SaturatingLaw? Saturating { get; init; }

    /// <summary>
    /// Which points the law goes through: "front-line" (the observed Pareto points) or "surrogate" (the front the
    /// surrogate models predict, when a report takes the scale-up's law; see <see cref="ScaleUpPredictor"/>).
    /// </summary>
    public string Method { get; init; } = ScaleUpPredictor.FrontLineMethod;

    /// <summary>"saturating" or "line": which law <see cref="PredictedOutput"/> comes from.</summary>
    public string Form => Saturating is null ? "line" : "saturating";
}
