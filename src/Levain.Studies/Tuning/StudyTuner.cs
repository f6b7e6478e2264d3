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
    private readonly List<int> _observedInOrder;

    private StudyTuner(CarbsTuner tuner, IEnumerable<int> observed, bool wasRebuilt)
    {
        Tuner = tuner;
        _observedInOrder = [.. observed];
        _observed = [.. _observedInOrder];
        WasRebuilt = wasRebuilt;
    }

    public CarbsTuner Tuner { get; }

    /// <summary>True when the checkpoint was missing or unusable and the tuner was rebuilt from observations.</summary>
    public bool WasRebuilt { get; }

    /// <summary>The trials observed, in the order the tuner observed them.</summary>
    public IReadOnlyList<int> ObservedTrials => _observedInOrder;

    /// <summary>
    /// Restores (or rebuilds) the study's tuner and reconciles it with <paramref name="trials"/>. The tuner takes
    /// <paramref name="spec"/>'s options and parameters (edits accepted on resume: changed options, widened bounds).
    /// </summary>
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
                var observations = checkpoint.ObservationsInTrials ? ObservationsOf(checkpoint.ObservedTrials, trials) : null;
                var tuner = CarbsTuner.FromJson(checkpoint.TunerJson, observations, timeProvider, spec.EffectiveTunerOptions, spec.Parameters);
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

    /// <summary>
    /// The member of an early-stopped trial's <c>early_stopped</c> result that names the complete shorter run it
    /// amounts to: <c>{"steps": 300}</c> (the study's <c>early_stopping.length_parameter</c> and its shortened value).
    /// </summary>
    public const string ShortenedRunKey = "shortened_run";

    /// <summary>
    /// The member of an early-stopped trial's <c>early_stopped</c> result that estimates the metric at the run's planned
    /// end (front dominance's projection), with <c>planned_cost</c> beside it.
    /// </summary>
    public const string ProjectedFinalKey = "projected_final";

    /// <summary>
    /// The observation a finished trial contributes, or null for abandoned or unfinished trials. An early-stopped
    /// trial is the complete shorter run its result names (<see cref="ShortenedRunKey"/>); else, when its result
    /// estimates the run's end (<see cref="ProjectedFinalKey"/>), a partial observation of that value at the planned
    /// cost (<see cref="Levain.Tuning.EarlyStopping.StoppedRunObservation"/>); else a partial observation of the value
    /// and cost where it was cut.
    /// </summary>
    public static Observation? ToObservation(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State switch
        {
            TrialState.Succeeded when trial.Output is double y && trial.Cost is double c => Success(trial, y, c),
            TrialState.Succeeded or TrialState.Failed =>
                new Observation(trial.Parameters, double.NaN, FailureCost(trial), IsFailure: true, SuggestionId: trial.SuggestionId),
            _ => null,
        };
    }

    /// <summary>A succeeded trial's observation; its result is parsed once, and only when it mentions an early stop.</summary>
    private static Observation Success(TrialRecord trial, double y, double c)
    {
        using var rule = trial.ParseEarlyStop();
        if (rule is null) return new Observation(trial.Parameters, y, c, IsFailure: false, SuggestionId: trial.SuggestionId);
        var stop = rule.RootElement.GetProperty("early_stopped");
        if (ShortenedRun(trial, stop) is { } shortened) return new Observation(shortened, y, c, IsFailure: false, SuggestionId: trial.SuggestionId);
        if (ProjectedEnd(stop) is { } end)
        {
            return Levain.Tuning.EarlyStopping.StoppedRunObservation.Create(trial.Parameters, end.Value, end.PlannedCost, trial.SuggestionId);
        }
        return new Observation(trial.Parameters, y, c, IsFailure: false, SuggestionId: trial.SuggestionId, IsPartial: true);
    }

    /// <summary>
    /// The parameters of the complete run an early-stopped trial amounts to: its own, with the one numeric parameter
    /// its result's <see cref="ShortenedRunKey"/> names set to the value given there. Null when the result names none,
    /// or names something that is not one of the trial's numeric parameters.
    /// </summary>
    public static IReadOnlyDictionary<string, ParamValue>? ShortenedRun(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        using var rule = trial.ParseEarlyStop();
        return rule is null ? null : ShortenedRun(trial, rule.RootElement.GetProperty("early_stopped"));
    }

    private static Dictionary<string, ParamValue>? ShortenedRun(TrialRecord trial, System.Text.Json.JsonElement stop)
    {
        if (!stop.TryGetProperty(ShortenedRunKey, out var run) || run.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
        var members = run.EnumerateObject().ToList();
        if (members.Count != 1 || members[0].Value.ValueKind != System.Text.Json.JsonValueKind.Number) return null;
        var (name, value) = (members[0].Name, members[0].Value.GetDouble());
        if (!trial.Parameters.TryGetValue(name, out var planned) || planned.Kind != ParamValueKind.Number || !double.IsFinite(value)) return null;
        return new Dictionary<string, ParamValue>(trial.Parameters, StringComparer.Ordinal) { [name] = ParamValue.FromNumber(value) };
    }

    /// <summary>
    /// The estimated end of an early-stopped run without a complete shorter run: its record's
    /// <see cref="ProjectedFinalKey"/> and <c>planned_cost</c> (both finite, the cost positive), else null.
    /// </summary>
    private static (double Value, double PlannedCost)? ProjectedEnd(System.Text.Json.JsonElement stop) =>
        stop.TryGetProperty(ProjectedFinalKey, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number
        && stop.TryGetProperty("planned_cost", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Number
        && v.GetDouble() is var value && double.IsFinite(value) && p.GetDouble() is var planned && double.IsFinite(planned) && planned > 0
            ? (value, planned)
            : null;

    /// <summary>Observes finished trials not yet seen (by finish time) and forgets outstanding points no longer pending.</summary>
    public void Reconcile(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        foreach (var trial in trials.Where(t => !_observed.Contains(t.Number)).OrderBy(t => t.FinishedAt).ThenBy(t => t.Number))
        {
            // A scale-up run may lie beyond the search bounds, where the tuner cannot model it: it stays a trial of the
            // study (reports, scale-up checks) but is not observed.
            if (trial.Phase == SuggestionPhase.ScaleUp && !IsInsideSpace(trial)) continue;
            if (ToObservation(trial) is { } observation)
            {
                Tuner.Observe(observation);
                _observed.Add(trial.Number);
                _observedInOrder.Add(trial.Number);
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
    /// After a rebuild: the suggestion counter continues after the highest stored "sN" id; the resample counter stands
    /// where the uninterrupted tuner's stood: it advances once per suggestion whenever successes exceed (count + 1) ×
    /// frequency, so it is replayed over the stored suggestions in order, each seeing the successes finished before it
    /// was made (and never below the resample suggestions the study holds) — resampling keeps its every-Nth-success
    /// rhythm instead of catching up with a burst; the random-phase position counts the random-phase suggestions; and
    /// trials still pending are outstanding again.
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
        var options = Tuner.Options;
        var successTimes = trials.Where(t => t.State == TrialState.Succeeded && t.FinishedAt is not null).Select(t => t.FinishedAt!.Value).Order().ToList();
        var replayed = 0;
        if (options.ResampleFrequency > 0)
        {
            foreach (var made in trials.GroupBy(t => t.SuggestionId, StringComparer.Ordinal).Select(g => g.Min(t => t.CreatedAt)).Order())
            {
                var successes = successTimes.Count(f => f <= made);
                if (successes >= Tuner.RandomPhaseLength && successes > (replayed + 1L) * options.ResampleFrequency) replayed++;
            }
        }
        var resamples = Math.Max(replayed, trials.Where(t => t.Phase == SuggestionPhase.Resample).Select(t => t.SuggestionId).Distinct(StringComparer.Ordinal).Count());
        var randomPhase = trials.Where(t => t.Phase == SuggestionPhase.Random).Select(t => t.SuggestionId).Distinct(StringComparer.Ordinal).Count();
        var latest = trials.GroupBy(t => t.SuggestionId, StringComparer.Ordinal).Select(g => g.MaxBy(t => t.Number)!);
        var pending = latest.Where(t => t.State is TrialState.Running or TrialState.Suggested)
            .Select(t => new Suggestion(t.SuggestionId, t.Parameters, t.Phase, null, t.CreatedAt));
        Tuner.Resume(counter, resamples, pending, randomPhase);
    }

    private bool IsInsideSpace(TrialRecord trial)
    {
        try
        {
            return Tuner.Space.IsWithinBounds(Tuner.Space.ToBasic(trial.Parameters));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The checkpoint to store after this tuner made a suggestion.</summary>
    public string ToCheckpointJson() =>
        new TunerCheckpoint(Tuner.ToJson(includeObservations: false), [.. _observedInOrder]) { ObservationsInTrials = true }.ToJson();

    /// <summary>The observations of <paramref name="numbers"/>, in that order; an <see cref="ArgumentException"/> if one is gone or unfinished.</summary>
    private static List<Observation> ObservationsOf(IReadOnlyList<int> numbers, IReadOnlyList<TrialRecord> trials)
    {
        var byNumber = trials.ToDictionary(t => t.Number);
        var observations = new List<Observation>(numbers.Count);
        foreach (var number in numbers)
        {
            if (!byNumber.TryGetValue(number, out var trial) || ToObservation(trial) is not { } observation)
            {
                throw new ArgumentException($"The tuner checkpoint lists trial {number}, which the study no longer holds as finished.");
            }
            observations.Add(observation);
        }
        return observations;
    }

    private static double FailureCost(TrialRecord trial)
    {
        if (trial.Cost is double c && double.IsFinite(c) && c > 0) return c;
        if (trial.ElapsedSeconds is double s && double.IsFinite(s) && s > 0) return s;
        return 1.0;
    }
}
