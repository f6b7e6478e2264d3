namespace Levain.Evals.Reports;

/// <summary>Run B compared with run A, task by task (tasks present in both).</summary>
public sealed record RunComparison(string ModelA, string ModelB, IReadOnlyList<TaskComparison> Tasks);
