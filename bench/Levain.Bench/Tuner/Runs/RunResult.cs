namespace Levain.Bench.Tuner.Runs;

/// <summary>
/// One method's search on one problem with one seed: the evaluations in order, what they cost, and the time spent
/// asking the method for points (<paramref name="AskSeconds"/>) versus the whole run. <paramref name="Error"/> is set
/// when the method broke mid-run (the trace holds what was completed).
/// </summary>
public sealed record RunResult(
    string Problem,
    string Method,
    int Seed,
    IReadOnlyList<TraceEntry> Trace,
    double SpentCost,
    double WallSeconds,
    double AskSeconds,
    bool HitEvaluationCap,
    string? Error = null)
{
    /// <summary>Runs the method's early-stopping rule cut short (only methods that watch learning curves).</summary>
    public int EarlyStopped { get; init; }
}
