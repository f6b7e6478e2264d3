using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// The time one trial has left from its latest progress record (a session that runs one given trial, such as a
    /// scale-up launch, where the study's budget and mean trial say nothing): the share done is step / steps when the
    /// record has both, else its cost so far (the study's cost key) over <paramref name="expectedCost"/>; the rest takes
    /// as long per share as what ran. Null before 1 % is done, or when the record says neither.
    /// </summary>
    /// <param name="progressJson">The trial's latest <c>levain-progress</c> object.</param>
    /// <param name="ran">How long the trial has run.</param>
    /// <param name="costKey">The study's cost key (e.g. "flops").</param>
    /// <param name="expectedCost">What the trial is expected to cost in all, if known.</param>
    public static TimeSpan? FromProgress(string progressJson, TimeSpan ran, string costKey, double? expectedCost)
    {
        ArgumentNullException.ThrowIfNull(progressJson);
        ArgumentNullException.ThrowIfNull(costKey);
        JsonObject? record;
        try
        {
            record = JsonNode.Parse(progressJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        double? Number(string key) => record?[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
        double? done = Number("step") is { } step && Number("steps") is { } steps && steps > 0 && step >= 0 ? step / steps
            : Number(costKey) is { } cost && expectedCost is { } total && total > 0 && cost >= 0 ? cost / total
            : null;
        if (done is not { } share || share < 0.01 || ran <= TimeSpan.Zero)
        {
            return null;
        }
        return share >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(ran.TotalSeconds * (1 - share) / share);
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
