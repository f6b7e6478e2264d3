namespace Levain.Tuning.Scaling;

/// <summary>Scaling laws fitted along the Pareto front: one per numeric parameter, and the front (null without points).</summary>
public sealed record ScalingLawReport(IReadOnlyList<ParameterLaw> Parameters, FrontLaw? Front);
