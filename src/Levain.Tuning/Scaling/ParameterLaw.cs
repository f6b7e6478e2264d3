namespace Levain.Tuning.Scaling;

/// <summary>
/// A numeric parameter along the Pareto front (docs/tuner.md C): its basic-space value = Intercept + Slope · ln(cost), a
/// power law in parameter units for log parameters. <see cref="ResidualStdDev"/> is in basic units. When a target cost
/// was given, the recommended value and its 90 % prediction interval are mapped back to parameter units (the interval
/// is null with fewer than three points).
/// </summary>
public sealed record ParameterLaw(
    string Name,
    double Slope,
    double Intercept,
    double ResidualStdDev,
    int PointCount,
    double? TargetCost,
    double? PredictedValueInParam,
    double? LowerInParam,
    double? UpperInParam);
