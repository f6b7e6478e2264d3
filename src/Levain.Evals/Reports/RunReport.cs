namespace Levain.Evals.Reports;

/// <summary>One evaluation run: its manifest and one report per task.</summary>
public sealed record RunReport(RunManifest Manifest, IReadOnlyList<TaskReport> Tasks);
