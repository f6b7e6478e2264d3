using Levain.Evals.Metrics;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>
/// Everything reported for one task: metrics on the full set, on the clean-quality subset, split by contamination,
/// rotation robustness, the abstention curve, the effective-length summary, and the per-item rows.
/// </summary>
public sealed record TaskReport
{
    public required string Name { get; init; }

    /// <summary>The items file or the generator (with version) the items came from.</summary>
    public required string Source { get; init; }

    public int Items { get; init; }

    public IReadOnlyList<string> MetricNames { get; init; } = [];

    public required IReadOnlyDictionary<string, MetricEstimate> Metrics { get; init; }

    public SubsetReport? Clean { get; init; }

    public IReadOnlyList<SubsetReport> Contamination { get; init; } = [];

    public RotationSummary? Rotations { get; init; }

    public IReadOnlyList<AbstentionPoint> Abstention { get; init; } = [];

    public EffectiveLengthSummary? EffectiveLength { get; init; }

    public int CachedRequests { get; init; }

    public int ScoredRequests { get; init; }

    public IReadOnlyList<ItemResult> Rows { get; init; } = [];
}
