namespace Levain.Runner.Reports;

/// <summary>
/// One point of a fitted law drawn against cost: the recommended value at <see cref="Cost"/> and its 90 % prediction
/// interval, in the parameter's own units (the metric's units for the front's law). The interval is null with fewer
/// than three front points.
/// </summary>
public sealed record ScalingLawCurvePoint(double Cost, double Value, double? Lower, double? Upper)
{
    /// <summary>Beyond the dearest Pareto point: the law is extrapolated here.</summary>
    public bool IsExtrapolated { get; init; }
}
