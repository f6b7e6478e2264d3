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
        // A session running one given trial runs outside the study's budgets: no trial budget is shown, and the time
        // left comes from that trial's progress (see Report), not from the budget.
        var isFixed = _options.FixedTrial is not null;
        var status = new TuneStatus(
            Count(TrialState.Succeeded), Count(TrialState.Failed), Count(TrialState.Running), Count(TrialState.Suggested),
            Count(TrialState.Abandoned), isFixed ? null : _study.Budget.Trials, best?.Output, best?.Number, spent, elapsed, null);
        lock (_statusGate)
        {
            _status = status with { Eta = isFixed ? EtaNow(elapsed) : EstimateRemaining(status, trials, elapsed) };
            _statusElapsed = elapsed;
        }
    }

    /// <summary>The last estimate counted down by the time since it was made, never below zero (call under <c>_statusGate</c>).</summary>
    private TimeSpan? EtaNow(TimeSpan elapsed) =>
        _status.Eta is TimeSpan t ? (t - (elapsed - _statusElapsed) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero) : null;

    private TimeSpan? EstimateRemaining(TuneStatus status, IReadOnlyList<TrialRecord> trials, TimeSpan elapsed)
    {
        double sessionCost;
        lock (_statusGate) sessionCost = _sessionCost;
        return TuneEta.Estimate(status, trials, elapsed, _options.TimeProvider.GetUtcNow(), _study.Budget,
            Math.Max(1, _options.Workers ?? _study.Workers), sessionCost, _study.TrialTimeout);
    }
}
