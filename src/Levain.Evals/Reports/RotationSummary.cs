using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>
/// Option-rotation robustness (docs/evals.md, "Robustness"): mean accuracy over all rotations (clustered by item), strict
/// accuracy (an item counts only if correct under every rotation), per-position recall and its spread (max − min).
/// </summary>
public sealed record RotationSummary(
    int Rotations,
    MetricEstimate MeanAccuracy,
    MetricEstimate StrictAccuracy,
    IReadOnlyList<PositionRecall> PositionRecall,
    double RecallSpread);
