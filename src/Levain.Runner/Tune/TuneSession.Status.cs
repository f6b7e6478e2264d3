using Levain.Studies.Trials;
using Levain.Tuning;

namespace Levain.Runner.Tune;

/// <summary>The study status shown with every event, and the time-left estimate.</summary>
public sealed partial class TuneSession
{
    private async Task RefreshStatusAsync(IReadOnlyList<TrialRecord>? trials = null)
    {
        try
        {
            trials ??= await _store.GetTrialsAsync(_study.Name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Levain.Studies.StudyStoreException)
        {
            return; // Keep the previous status; the next event refreshes it.
        }
        // The study's own trials: those a warm start imported are not counted against its budget.
        trials = [.. trials.Where(t => !t.IsImported)];
        var elapsed = _options.TimeProvider.GetElapsedTime(_startTimestamp);
        var succeeded = trials.Where(t => t.State == TrialState.Succeeded && t.Output is not null).ToList();
        var best = succeeded.Count == 0 ? null
            : _study.Direction == Direction.Minimize ? succeeded.MinBy(t => t.Output) : succeeded.MaxBy(t => t.Output);
        int Count(TrialState s) => trials.Count(t => t.State == s);
        var spent = trials.Where(t => t.IsFinished).Sum(t => t.Cost ?? 0);
        var status = new TuneStatus(
            Count(TrialState.Succeeded), Count(TrialState.Failed), Count(TrialState.Running), Count(TrialState.Suggested),
            Count(TrialState.Abandoned), _study.Budget.Trials, best?.Output, best?.Number, spent, elapsed, null);
        lock (_statusGate)
        {
            _status = status with { Eta = EstimateRemaining(status, trials, elapsed) };
        }
    }

    /// <summary>
    /// The soonest of: remaining trials × mean trial duration ÷ workers; remaining cost ÷ this session's cost rate;
    /// remaining wall budget. Null while nothing is known.
    /// </summary>
    private TimeSpan? EstimateRemaining(TuneStatus status, IReadOnlyList<TrialRecord> trials, TimeSpan elapsed)
    {
        var estimates = new List<TimeSpan>();
        var durations = trials.Where(t => t.State is TrialState.Succeeded or TrialState.Failed && t.ElapsedSeconds is not null)
            .Select(t => t.ElapsedSeconds!.Value).ToList();
        var workers = Math.Max(1, _options.Workers ?? _study.Workers);
        if (_study.Budget.Trials is int maxTrials && durations.Count > 0)
        {
            var remaining = Math.Max(0, maxTrials - status.Done - status.Running - status.Suggested) + 0.5 * (status.Running + status.Suggested);
            estimates.Add(TimeSpan.FromSeconds(Math.Ceiling(remaining / workers) * durations.Average()));
        }
        double sessionCost;
        lock (_statusGate) sessionCost = _sessionCost;
        if (_study.Budget.Cost is double maxCost && sessionCost > 0 && elapsed > TimeSpan.Zero)
        {
            var rate = sessionCost / elapsed.TotalSeconds;
            estimates.Add(TimeSpan.FromSeconds(Math.Max(0, maxCost - status.CostSpent) / rate));
        }
        if (_study.Budget.Wall is TimeSpan wall) estimates.Add(wall > elapsed ? wall - elapsed : TimeSpan.Zero);
        return estimates.Count == 0 ? null : estimates.Min();
    }
}
