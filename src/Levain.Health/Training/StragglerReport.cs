namespace Levain.Health.Training;

/// <summary>
/// Stragglers and drift. <see cref="DriftRelative"/> is the fitted increase of the per-step median time over the whole
/// run, relative to the run's median; drift is flagged when both it and the last-tenth/first-tenth ratio pass the threshold.
/// </summary>
public sealed record StragglerReport(
    IReadOnlyList<RankStepStats> Ranks,
    double MedianStepTimeSeconds,
    double MadSeconds,
    double ZThreshold,
    double DriftSlopeSecondsPerStep,
    double DriftRelative,
    double FirstTenthMedianSeconds,
    double LastTenthMedianSeconds,
    bool HasDrift)
{
    public IEnumerable<RankStepStats> Stragglers => Ranks.Where(r => r.IsStraggler);
}
