namespace Levain.Health.Results;

/// <summary>
/// Everything known about one node: its results, how long each check took, XID counters for Prometheus, the
/// version facts and active-test figures the fleet consensus compares, and the kernel-log templates the baseline
/// did not know.
/// </summary>
public sealed record NodeReport(
    string Host,
    DateTimeOffset AnalyzedAt,
    IReadOnlyList<CheckResult> Results,
    IReadOnlyDictionary<string, TimeSpan> CheckDurations,
    IReadOnlyList<XidCount> XidCounts)
{
    /// <summary>Version strings: "driver", "vbios NVIDIA H100 80GB HBM3", "inforom", "ib-firmware MT4123", "kernel".</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();

    /// <summary>Active-test figures: "gpu-burn-min-gflops", "nccl-busbw-gbps".</summary>
    public IReadOnlyDictionary<string, double> Measurements { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<string> UnseenTemplates { get; init; } = [];

    /// <summary>The cumulative error counters read from the bundle (kept in the state directory for the next run).</summary>
    public Levain.Health.Counters.CounterSnapshot? Counters { get; init; }

    /// <summary>Worst severity among the results; unknown when there are none.</summary>
    public Severity Status => SeverityOrder.Worst(Results.Select(r => r.Severity));
}
