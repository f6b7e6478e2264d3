using Levain.Health.Results;

namespace Levain.Health.Fleet;

/// <summary>The whole fleet run. <see cref="Status"/> is the worst node status.</summary>
public sealed record FleetReport(IReadOnlyList<HostReport> Hosts, TimeSpan Elapsed, int Concurrency)
{
    public Severity Status => SeverityOrder.Worst(Hosts.Select(h => h.Status));

    /// <summary>The most hosts that were in flight at the same moment (from start/finish times).</summary>
    public int PeakParallelism
    {
        get
        {
            var edges = Hosts.SelectMany(h => new[] { (At: h.StartedAt, Delta: 1), (At: h.FinishedAt, Delta: -1) })
                .OrderBy(e => e.At).ThenBy(e => e.Delta).ToList();
            int current = 0, peak = 0;
            foreach (var e in edges)
            {
                current += e.Delta;
                peak = Math.Max(peak, current);
            }
            return peak;
        }
    }
}
