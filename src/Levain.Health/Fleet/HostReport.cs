using Levain.Health.Results;

namespace Levain.Health.Fleet;

/// <summary>A host's outcome and, for every host, a node report (a single unknown result when it could not be reached).</summary>
public sealed record HostReport(HostEntry Host, HostOutcome Outcome, string Detail, NodeReport Report, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    public Severity Status => Report.Status;
}
