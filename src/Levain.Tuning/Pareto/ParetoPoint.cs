using Levain.Tuning.Spaces;

namespace Levain.Tuning.Pareto;

/// <summary>
/// One member of the Pareto set: a group of successful observations with identical inputs (docs/tuner.md A4), with the
/// group's mean cost and mean output (raw output units) and how many observations it holds.
/// </summary>
public sealed record ParetoPoint(IReadOnlyDictionary<string, ParamValue> Parameters, double Cost, double Output, int Count);
