using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>A task group's aggregate metrics over its member tasks (<see cref="GroupAggregation"/>), with the total item count.</summary>
public sealed record GroupReport(string Name, IReadOnlyList<string> Tasks, int Items, IReadOnlyDictionary<string, MetricEstimate> Metrics);
