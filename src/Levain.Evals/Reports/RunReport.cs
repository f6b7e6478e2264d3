namespace Levain.Evals.Reports;

/// <summary>One evaluation run: its manifest, one report per task, and one per task group (lm-eval group configs).</summary>
public sealed record RunReport(RunManifest Manifest, IReadOnlyList<TaskReport> Tasks)
{
    public IReadOnlyList<GroupReport> Groups { get; init; } = [];
}
