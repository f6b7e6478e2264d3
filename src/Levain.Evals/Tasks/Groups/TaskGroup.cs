namespace Levain.Evals.Tasks.Groups;

/// <summary>
/// A named group of tasks whose scores are also reported together (lm-eval's group config): the member tasks' names,
/// and which metrics are aggregated and how (null: every metric all members report, weighted by size).
/// </summary>
public sealed record TaskGroup(string Name, IReadOnlyList<string> Tasks, IReadOnlyList<GroupMetric>? Metrics, string? SourcePath = null);
