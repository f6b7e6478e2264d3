namespace Levain.Evals.Reports;

/// <summary>Per-metric differences of one task between two runs, over the rows both runs share.</summary>
public sealed record TaskComparison(string Task, int SharedRows, int OnlyInA, int OnlyInB, IReadOnlyList<MetricDifference> Metrics);
