using Levain.Runner.Definition;
using Levain.Studies.Trials;

namespace Levain.Runner.Tune;

/// <summary>
/// The time a tune session has left. Before the wall budget: the soonest of remaining trials × mean trial duration ÷
/// workers, remaining cost ÷ this session's cost rate, and the wall time left plus one mean trial (a trial may start just
/// before the wall and then runs to its end). Past the wall no trial starts, so what is left is the longest expected
/// remainder of the running trials: the mean duration less the time each has run, or, for one already past the mean,
/// what its timeout allows; unknown (null) when neither says.
/// </summary>
public static class TuneEta
{
    /// <param name="status">The counts of the study's own trials (imported ones excluded).</param>
    /// <param name="trials">The study's own trials.</param>
    /// <param name="elapsed">This session's elapsed time.</param>
    /// <param name="now">The clock the store's <see cref="TrialRecord.StartedAt"/> is on.</param>
    /// <param name="budget">The study's budget.</param>
    /// <param name="workers">Trials this session runs at once.</param>
    /// <param name="sessionCost">Cost recorded by this session so far.</param>
    /// <param name="trialTimeout">How long one trial may run, if limited.</param>
    public static TimeSpan? Estimate(TuneStatus status, IReadOnlyList<TrialRecord> trials, TimeSpan elapsed, DateTimeOffset now,
        StudyBudget budget, int workers, double sessionCost, TimeSpan? trialTimeout)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(budget);
        var durations = trials.Where(t => t.State is TrialState.Succeeded or TrialState.Failed && t.ElapsedSeconds is not null)
            .Select(t => t.ElapsedSeconds!.Value).ToList();
        TimeSpan? mean = durations.Count > 0 ? TimeSpan.FromSeconds(durations.Average()) : null;
        if (budget.Wall is TimeSpan wall && elapsed >= wall)
        {
            return Drain(trials, now, mean, trialTimeout);
        }
        var estimates = new List<TimeSpan>();
        if (budget.Trials is int maxTrials && mean is TimeSpan perTrial)
        {
            var remaining = Math.Max(0, maxTrials - status.Done - status.Running - status.Suggested) + 0.5 * (status.Running + status.Suggested);
            estimates.Add(Math.Ceiling(remaining / Math.Max(1, workers)) * perTrial);
        }
        if (budget.Cost is double maxCost && sessionCost > 0 && elapsed > TimeSpan.Zero)
        {
            var rate = sessionCost / elapsed.TotalSeconds;
            estimates.Add(TimeSpan.FromSeconds(Math.Max(0, maxCost - status.CostSpent) / rate));
        }
        if (budget.Wall is TimeSpan wallBudget) estimates.Add(wallBudget - elapsed + (mean ?? TimeSpan.Zero));
        return estimates.Count == 0 ? null : estimates.Min();
    }

    /// <summary>Until the last running trial is expected to end: zero when none runs, null when one's end is unknown.</summary>
    private static TimeSpan? Drain(IReadOnlyList<TrialRecord> trials, DateTimeOffset now, TimeSpan? mean, TimeSpan? trialTimeout)
    {
        var longest = TimeSpan.Zero;
        foreach (var trial in trials.Where(t => t.State is TrialState.Running or TrialState.Suggested))
        {
            var ran = trial.StartedAt is DateTimeOffset started && now > started ? now - started : TimeSpan.Zero;
            TimeSpan? left = mean is TimeSpan m && m > ran ? m - ran
                : trialTimeout is TimeSpan limit && limit > ran ? limit - ran
                : null;
            if (left is not TimeSpan l) return null;
            if (l > longest) longest = l;
        }
        return longest;
    }
}
