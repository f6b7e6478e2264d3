namespace Levain.Evals.Tasks.Groups;

/// <summary>One entry of a group's <c>aggregate_metric_list</c>: a Levain metric name and whether subtasks weigh by their size.</summary>
public sealed record GroupMetric(string Metric, bool IsWeightedBySize);
