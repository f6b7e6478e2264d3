using Levain.Health.Baseline;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Checks.Active;
using Levain.Health.Checks.Fabric;
using Levain.Health.Checks.Gpu;
using Levain.Health.Checks.Host;
using Levain.Health.Checks.Kernel;
using Levain.Health.Counters;
using Levain.Health.Parsing.Kernel;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Analysis;

/// <summary>Runs every check over one bundle and assembles the node report. Pure apart from the injected clock.</summary>
public sealed class NodeAnalyzer(HealthProfile profile, DmesgBaseline? baseline, TimeProvider time)
{
    public static IReadOnlyList<IHealthCheck> AllChecks { get; } =
        [new GpuCheck(), new DcgmDiagCheck(), new KernelLogCheck(), new BaselineCheck(), new NvlinkCheck(), new InfinibandCheck(), new HostCheck(), new ActiveTestCheck()];

    /// <summary>
    /// Analyses one bundle. <paramref name="previousCounters"/> (the node's counters at the previous run, see
    /// <see cref="CounterState"/>) turns the NVLink/InfiniBand counter checks into increase checks.
    /// </summary>
    public NodeReport Analyze(Bundle bundle, CounterSnapshot? previousCounters = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var now = bundle.CapturedAt ?? time.GetUtcNow();
        var context = new CheckContext(bundle, profile, baseline, now) { PreviousCounters = previousCounters };
        var results = new List<CheckResult>();
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var check in AllChecks)
        {
            var start = time.GetTimestamp();
            results.AddRange(check.Evaluate(context));
            durations[check.Id] = time.GetElapsedTime(start);
        }

        var log = KernelLogInput.Read(bundle);
        var xids = new List<XidCount>();
        IReadOnlyList<string> unseen = [];
        if (log.IsSuccess)
        {
            var gpuName = KernelLogInput.GpuNamer(bundle);
            xids = KernelEventExtractor.Extract(log.Value!).Where(e => e.Kind == KernelEventKind.Xid)
                .GroupBy(e => (e.Code!.Value, Gpu: gpuName(e.Subject)))
                .Select(g => new XidCount(g.Key.Value, g.Key.Gpu, g.Count()))
                .OrderBy(x => x.Code).ThenBy(x => x.Gpu, StringComparer.Ordinal).ToList();
            unseen = baseline?.FindUnseen(log.Value!).Select(u => u.Template).ToList() ?? [];
        }
        return new NodeReport(bundle.Host, now, results, durations, xids)
        {
            Facts = NodeFacts.Versions(bundle),
            Measurements = NodeFacts.Measurements(bundle),
            UnseenTemplates = unseen,
            Counters = new CounterSnapshot(now, ErrorCounterReader.Read(bundle)),
        };
    }
}
