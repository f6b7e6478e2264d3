namespace Levain.Runner.Reports;

/// <summary>
/// A fitted scaling law sampled along cost, for drawing: <see cref="Parameter"/> is a numeric parameter's name, or
/// null for the law of the front's metric. Points run from the cheapest Pareto point to the larger of the target cost
/// and the most expensive Pareto point, evenly in ln(cost).
/// </summary>
public sealed record ScalingLawCurve(string? Parameter, IReadOnlyList<ScalingLawCurvePoint> Points);
