using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Tuning;

/// <summary>
/// A tuner brought up to date with a study's stored trials: restored from the checkpoint when it is readable, else
/// rebuilt from the observations alone; then every finished trial it has not seen is observed and every outstanding
/// suggestion whose trial is no longer pending is forgotten.
/// </summary>
public sealed class StudyTuner
{
    private readonly HashSet<int> _observed;

    private StudyTuner(CarbsTuner tuner, IEnumerable<int> observed, bool wasRebuilt)
    {
        Tuner = tuner;
        _observed = [.. observed];
        WasRebuilt = wasRebuilt;
    }

    public CarbsTuner Tuner { get; }

    /// <summary>True when the checkpoint was missing or unusable and the tuner was rebuilt from observations.</summary>
    public bool WasRebuilt { get; }

    public IReadOnlyCollection<int> ObservedTrials => _observed;

    /// <summary>Restores (or rebuilds) the study's tuner and reconciles it with <paramref name="trials"/>.</summary>
    public static StudyTuner Restore(StudySpec spec, string? checkpointJson, IReadOnlyList<TrialRecord> trials, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trials);
        var checkpoint = TunerCheckpoint.TryParse(checkpointJson);
        StudyTuner? restored = null;
        if (checkpoint is not null)
        {
            try
            {
                var tuner = CarbsTuner.FromJson(checkpoint.TunerJson, timeProvider);
                restored = new StudyTuner(tuner, checkpoint.ObservedTrials, wasRebuilt: false);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                restored = null;
            }
        }
        if (restored is null)
        {
            // A fresh tuner gets a seed that differs with the study's history so a rebuild does not replay old points.
            restored = new StudyTuner(
                new CarbsTuner(new SearchSpace(spec.Parameters), spec.EffectiveTunerOptions with { Seed = spec.Tuner.Seed + trials.Count }, timeProvider),
                [],
                wasRebuilt: true);
            restored.ResumeCounters(trials);
        }
        restored.Reconcile(trials);
        return restored;
    }

    /// <summary>The observation a finished trial contributes, or null for abandoned or unfinished trials.</summary>
    public static Observation? ToObservation(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State switch
        {
            TrialState.Succeeded when trial.Output is double y && trial.Cost is double c =>
                new Observation(trial.Parameters, y, c, IsFailure: false, SuggestionId: trial.SuggestionId),
            TrialState.Succeeded or TrialState.Failed =>
                new Observation(trial.Parameters, double.NaN, FailureCost(trial), IsFailure: true, SuggestionId: trial.SuggestionId),
            _ => null,
        };
    }

    /// <summary>Observes finished trials not yet seen (by finish time) and forgets outstanding points no longer pending.</summary>
    public void Reconcile(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        foreach (var trial in trials.Where(t => !_observed.Contains(t.Number)).OrderBy(t => t.FinishedAt).ThenBy(t => t.Number))
        {
            if (ToObservation(trial) is { } observation)
            {
                Tuner.Observe(observation);
                _observed.Add(trial.Number);
            }
        }
        // The latest trial carrying a suggestion id is the one an outstanding suggestion refers to.
        var latestBySuggestion = new Dictionary<string, TrialRecord>(StringComparer.Ordinal);
        foreach (var trial in trials.OrderBy(t => t.Number)) latestBySuggestion[trial.SuggestionId] = trial;
        foreach (var suggestion in Tuner.Outstanding.ToList())
        {
            var pending = latestBySuggestion.TryGetValue(suggestion.Id, out var trial) && trial.State is TrialState.Running or TrialState.Suggested;
            if (!pending) Tuner.Forget(suggestion.Id);
        }
    }

    /// <summary>
    /// After a rebuild: the suggestion counter continues after the highest stored "sN" id, the resample count is the
    /// number of distinct resample suggestions the study holds (so resampling keeps its every-Nth-success rhythm instead
    /// of catching up with a burst), and trials still pending are outstanding again.
    /// </summary>
    private void ResumeCounters(IReadOnlyList<TrialRecord> trials)
    {
        long counter = 0;
        foreach (var trial in trials)
        {
            if (trial.SuggestionId.StartsWith('s') && long.TryParse(trial.SuggestionId.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                counter = Math.Max(counter, n);
            }
        }
        var resamples = trials.Where(t => t.Phase == SuggestionPhase.Resample).Select(t => t.SuggestionId).Distinct(StringComparer.Ordinal).Count();
        var latest = trials.GroupBy(t => t.SuggestionId, StringComparer.Ordinal).Select(g => g.MaxBy(t => t.Number)!);
        var pending = latest.Where(t => t.State is TrialState.Running or TrialState.Suggested)
            .Select(t => new Suggestion(t.SuggestionId, t.Parameters, t.Phase, null, t.CreatedAt));
        Tuner.Resume(counter, resamples, pending);
    }

    /// <summary>The checkpoint to store after this tuner made a suggestion.</summary>
    public string ToCheckpointJson() => new TunerCheckpoint(Tuner.ToJson(), [.. _observed.Order()]).ToJson();

    private static double FailureCost(TrialRecord trial)
    {
        if (trial.Cost is double c && double.IsFinite(c) && c > 0) return c;
        if (trial.ElapsedSeconds is double s && double.IsFinite(s) && s > 0) return s;
        return 1.0;
    }
}
