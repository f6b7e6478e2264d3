using Levain.Health.Analysis;
using Levain.Health.Baseline;
using Levain.Health.Checks;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Fleet;

/// <summary>Analyses every completed host, applies the fleet consensus, and reports unreached hosts as unknown.</summary>
public sealed class FleetAnalyzer(HealthProfile profile, DmesgBaseline? baseline, TimeProvider time)
{
    public FleetReport Analyze(IReadOnlyList<HostRun> runs, TimeSpan elapsed, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var analyzer = new NodeAnalyzer(profile, baseline, time);
        var completed = runs.Where(r => r.Outcome == HostOutcome.Completed && r.Bundle is not null).ToList();
        var nodes = FleetConsensus.Apply(completed.Select(r => analyzer.Analyze(r.Bundle!)).ToList(), profile);
        var byRun = completed.Zip(nodes).ToDictionary(p => p.First, p => p.Second);
        var hosts = runs.Select(r => byRun.TryGetValue(r, out var node)
            ? new HostReport(r.Host, r.Outcome, r.Detail, node, r.StartedAt, r.FinishedAt)
            : new HostReport(r.Host, r.Outcome, r.Detail, Unreached(r), r.StartedAt, r.FinishedAt)).ToList();
        return new FleetReport(hosts, elapsed, concurrency);
    }

    private static NodeReport Unreached(HostRun run)
    {
        var word = run.Outcome switch
        {
            HostOutcome.Unreachable => "unreachable",
            HostOutcome.TimedOut => "timed out",
            _ => "failed",
        };
        var result = new CheckResult(CheckIds.Reachability, "node", Severity.Unknown, $"{word}: {run.Detail}", [run.Detail], Remediation.FixCollection);
        return new NodeReport(run.Host.Name, run.FinishedAt, [result], new Dictionary<string, TimeSpan>(), []);
    }
}
