namespace Levain.Runner.Tune;

/// <summary>
/// The study at a glance: trials per state (over all workers), the best metric so far and its trial, the cost spent
/// (sum over finished trials, in the study's cost unit), this session's elapsed time and an estimate of the time left.
/// </summary>
public sealed record TuneStatus(
    int Succeeded,
    int Failed,
    int Running,
    int Suggested,
    int Abandoned,
    int? TrialBudget,
    double? BestOutput,
    int? BestTrial,
    double CostSpent,
    TimeSpan Elapsed,
    TimeSpan? Eta)
{
    public static TuneStatus Empty { get; } = new(0, 0, 0, 0, 0, null, null, null, 0, TimeSpan.Zero, null);

    public int Done => Succeeded + Failed;
}
