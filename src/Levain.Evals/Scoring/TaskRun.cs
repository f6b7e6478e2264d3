using Levain.Evals.Tasks;

namespace Levain.Evals.Scoring;

/// <summary>
/// The raw outcome of evaluating one task: one row per item and rotation, the metrics to report, and how many unique
/// requests came from the cache versus the backend.
/// </summary>
public sealed record TaskRun(
    TaskManifest Manifest,
    IReadOnlyList<ItemResult> Rows,
    IReadOnlyList<string> Metrics,
    int CachedRequests,
    int ScoredRequests);
