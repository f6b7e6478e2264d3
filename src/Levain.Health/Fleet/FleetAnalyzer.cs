using Levain.Health.Analysis;
using Levain.Health.Baseline;
using Levain.Health.Checks;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Fleet;

/// <summary>
/// Analyses hosts one at a time as they finish (<see cref="AnalyzeRun"/>, so a bundle can be dropped right after),
/// then applies the fleet consensus over the completed ones (<see cref="Complete"/>). Unreached hosts are unknown; a
/// host cut off at its timeout is analysed on the outputs that had arrived, plus an unknown reachability result.
/// </summary>
public sealed class FleetAnalyzer(HealthProfile profile, DmesgBaseline? baseline, TimeProvider time)
{
    private readonly NodeAnalyzer _analyzer = new(profile, baseline, time);

    /// <summary>Everything at once (bundles in memory): <see cref="AnalyzeRun"/> for each, then <see cref="Complete"/>.</summary>
    public FleetReport Analyze(IReadOnlyList<HostRun> runs, TimeSpan elapsed, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Complete(runs.Select(r => AnalyzeRun(r)).ToList(), elapsed, concurrency);
    }

    /// <summary>
    /// One host's report before the fleet consensus. <paramref name="previousCounters"/>: the host's error counters at
    /// the previous run (NVLink/InfiniBand counters are then judged as increases).
    /// </summary>
    public HostReport AnalyzeRun(HostRun run, Levain.Health.Counters.CounterSnapshot? previousCounters = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Bundle is null)
        {
            return new HostReport(run.Host, run.Outcome, run.Detail, Unreached(run), run.StartedAt, run.FinishedAt);
        }
        var node = _analyzer.Analyze(run.Bundle, previousCounters);
        if (run.Outcome != HostOutcome.Completed)
        {
            node = node with { Results = [.. node.Results, Reachability(run)] };
        }
        return new HostReport(run.Host, run.Outcome, run.Detail, node, run.StartedAt, run.FinishedAt);
    }

    /// <summary>Applies the fleet consensus (version skew, stragglers, rare kernel lines) over the completed hosts.</summary>
    public FleetReport Complete(IReadOnlyList<HostReport> hosts, TimeSpan elapsed, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var completed = hosts.Where(h => h.Outcome == HostOutcome.Completed).ToList();
        var judged = FleetConsensus.Apply(completed.Select(h => h.Report).ToList(), profile);
        var byHost = completed.Zip(judged).ToDictionary(p => p.First, p => p.Second);
        var result = hosts.Select(h => byHost.TryGetValue(h, out var node) ? h with { Report = node } : h).ToList();
        return new FleetReport(result, elapsed, concurrency);
    }

    private static CheckResult Reachability(HostRun run)
    {
        var word = run.Outcome switch
        {
            HostOutcome.Unreachable => "unreachable",
            HostOutcome.TimedOut => "timed out",
            _ => "failed",
        };
        return new CheckResult(CheckIds.Reachability, "node", Severity.Unknown, $"{word}: {run.Detail}", [run.Detail], Remediation.FixCollection);
    }

    private static NodeReport Unreached(HostRun run) =>
        new(run.Host.Name, run.FinishedAt, [Reachability(run)], new Dictionary<string, TimeSpan>(), []);
}
