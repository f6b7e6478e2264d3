namespace Levain.Tuning.Scaling;

/// <summary>
/// The Pareto front itself: output = Intercept + Slope · ln(cost) in raw output units, with the predicted output at a
/// target cost and its 90 % prediction interval (null with fewer than three points).
/// </summary>
public sealed record FrontLaw(
    double Slope,
    double Intercept,
    double ResidualStdDev,
    int PointCount,
    double? TargetCost,
    double? PredictedOutput,
    double? Lower,
    double? Upper);
