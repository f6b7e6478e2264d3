namespace Levain.Web.Dashboard;

/// <summary>What <c>levain dashboard</c> shows and where it listens.</summary>
public sealed record DashboardOptions
{
    /// <summary>The port on 127.0.0.1; 0 picks a free one (the started server reports it).</summary>
    public int Port { get; init; } = DefaultPort;

    public const int DefaultPort = 8686;

    public IReadOnlyList<DashboardStudySource> Studies { get; init; } = [];

    /// <summary>Evaluation reports: report.json files, or folders holding one.</summary>
    public IReadOnlyList<string> EvalReports { get; init; } = [];

    /// <summary>Fleet health reports: the JSON of <c>levain health fleet --json</c> (or a node report).</summary>
    public IReadOnlyList<string> HealthReports { get; init; } = [];

    /// <summary>How often the page asks for fresh data.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many lines of a trial's log the trials table shows.</summary>
    public int LogTailLines { get; init; } = 40;
}
