using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Tests.Tuning;

public sealed class StudyTunerTests
{
    private static readonly StudySpec Spec = new()
    {
        Name = "t",
        Parameters = [ParameterSpec.Log("lr", 1e-3, 1e-6, 1), ParameterSpec.Log("steps", 100, 10, 10000, isInteger: true)],
        Tuner = new CarbsOptions { Seed = 3, NumRandomSamples = 3 },
    };

    private static TrialRecord Trial(int number, TrialState state, double? output = null, string? sid = null) => new()
    {
        Study = "t",
        Number = number,
        SuggestionId = sid ?? $"old{number}",
        State = state,
        Parameters = new Dictionary<string, ParamValue> { ["lr"] = 1e-3 * number, ["steps"] = 100.0 * number },
        CreatedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = state is TrialState.Succeeded or TrialState.Failed ? DateTimeOffset.UnixEpoch.AddSeconds(number) : null,
        Output = output,
        Cost = state == TrialState.Succeeded ? 100.0 * number : null,
    };

    [Fact]
    public void ToObservation_EarlyStoppedTrial_IsTheShorterCompleteRunItsResultNames_ElsePartial()
    {
        var planned = Trial(3, TrialState.Succeeded, 2.5);
        TrialRecord Stopped(string rule) => planned with { ResultJson = $$"""{"loss": 2.5, "early_stopped": {{rule}}}""" };

        var shortened = StudyTuner.ToObservation(Stopped("""{"rung": 1, "shortened_run": {"steps": 100}}"""))!;
        Assert.False(shortened.IsPartial);
        Assert.Equal(100.0, shortened.Parameters["steps"].Number);
        Assert.Equal(planned.Parameters["lr"], shortened.Parameters["lr"]);
        Assert.Equal((2.5, 300.0), (shortened.Output, shortened.Cost));

        // Without one, or with one that names no numeric parameter of the trial, the stop is a partial observation of the plan.
        foreach (var rule in new[] { """{"rung": 1}""", """{"shortened_run": {"epochs": 3}}""", """{"shortened_run": {"steps": "x"}}""",
                     """{"shortened_run": {"steps": 1, "lr": 1}}""", """{"shortened_run": 5}""" })
        {
            var partial = StudyTuner.ToObservation(Stopped(rule))!;
            Assert.True(partial.IsPartial, rule);
            Assert.Equal(300.0, partial.Parameters["steps"].Number);
        }
        Assert.False(StudyTuner.ToObservation(planned)!.IsPartial);

        // Front dominance's estimate of the run's end: a partial observation of that value at the planned cost.
        var projected = StudyTuner.ToObservation(Stopped("""{"rule": "front", "planned_cost": 900, "projected_final": 1.75}"""))!;
        Assert.Equal((true, 1.75, 900.0, 300.0), (projected.IsPartial, projected.Output, projected.Cost, projected.Parameters["steps"].Number));
        // A shorter complete run wins over the estimate; a broken estimate falls back to the cut-off value.
        Assert.False(StudyTuner.ToObservation(Stopped("""{"planned_cost": 900, "projected_final": 1.75, "shortened_run": {"steps": 100}}"""))!.IsPartial);
        foreach (var rule in new[] { """{"planned_cost": 0, "projected_final": 1.75}""", """{"projected_final": 1.75}""", """{"planned_cost": 900, "projected_final": "x"}""" })
        {
            Assert.Equal((true, 2.5, 300.0), (StudyTuner.ToObservation(Stopped(rule))!.IsPartial, StudyTuner.ToObservation(Stopped(rule))!.Output, StudyTuner.ToObservation(Stopped(rule))!.Cost));
        }
        // A result that merely mentions the key outside early_stopped is a complete run as planned.
        var mention = StudyTuner.ToObservation(planned with { ResultJson = """{"loss": 2.5, "shortened_run": {"steps": 1}}""" })!;
        Assert.Equal((false, 300.0), (mention.IsPartial, mention.Parameters["steps"].Number));
    }

    [Fact]
    public void Restore_NoCheckpoint_RebuildsFromFinishedTrialsOnly()
    {
        var trials = new[]
        {
            Trial(1, TrialState.Succeeded, 2.0), Trial(2, TrialState.Failed), Trial(3, TrialState.Abandoned), Trial(4, TrialState.Running),
        };
        var restored = StudyTuner.Restore(Spec, null, trials);
        Assert.True(restored.WasRebuilt);
        Assert.Equal(2, restored.Tuner.Observations.Count);
        Assert.True(restored.Tuner.Observations[1].IsFailure);
        Assert.Equal([1, 2], restored.ObservedTrials.Order());
    }

    [Fact]
    public void Restore_ScaleUpTrialBeyondTheBounds_IsKeptButNotObserved()
    {
        var inside = Trial(2, TrialState.Succeeded, 1.5, sid: "scale-up-1") with { Phase = SuggestionPhase.ScaleUp };
        var beyond = Trial(3, TrialState.Succeeded, 1.2, sid: "scale-up-2") with
        {
            Phase = SuggestionPhase.ScaleUp,
            Parameters = new Dictionary<string, ParamValue> { ["lr"] = 1e-3, ["steps"] = 50_000.0 },
        };
        var restored = StudyTuner.Restore(Spec, null, [Trial(1, TrialState.Succeeded, 2.0), inside, beyond]);
        Assert.Equal([1, 2], restored.ObservedTrials);
        var again = StudyTuner.Restore(Spec, restored.ToCheckpointJson(), [Trial(1, TrialState.Succeeded, 2.0), inside, beyond]);
        Assert.Equal(2, again.Tuner.Observations.Count);
    }

    [Fact]
    public void Restore_FromCheckpoint_ObservesOnlyNewTrialsAndForgetsAbandonedSuggestions()
    {
        var first = StudyTuner.Restore(Spec, null, [Trial(1, TrialState.Succeeded, 2.0)]);
        var suggestion = first.Tuner.Suggest(1)[0];
        var checkpoint = first.ToCheckpointJson();
        var pending = Trial(2, TrialState.Running, sid: suggestion.Id);
        var same = StudyTuner.Restore(Spec, checkpoint, [Trial(1, TrialState.Succeeded, 2.0), pending]);
        Assert.False(same.WasRebuilt);
        Assert.Single(same.Tuner.Observations);
        Assert.Contains(same.Tuner.Outstanding, s => s.Id == suggestion.Id);

        var abandoned = pending with { State = TrialState.Abandoned };
        var later = StudyTuner.Restore(Spec, checkpoint, [Trial(1, TrialState.Succeeded, 2.0), abandoned, Trial(3, TrialState.Succeeded, 1.5)]);
        Assert.Equal(2, later.Tuner.Observations.Count);
        Assert.DoesNotContain(later.Tuner.Outstanding, s => s.Id == suggestion.Id);
    }

    [Fact]
    public void Restore_CorruptCheckpoint_RebuildsInsteadOfThrowing()
    {
        var restored = StudyTuner.Restore(Spec, "{not json", [Trial(1, TrialState.Succeeded, 2.0)]);
        Assert.True(restored.WasRebuilt);
        Assert.Single(restored.Tuner.Observations);
    }

    [Fact]
    public void Reconcile_CalledTwice_NeverObservesATrialTwice()
    {
        var trials = new[] { Trial(1, TrialState.Succeeded, 2.0), Trial(2, TrialState.Succeeded, 1.0) };
        var restored = StudyTuner.Restore(Spec, null, trials);
        restored.Reconcile(trials);
        var again = StudyTuner.Restore(Spec, restored.ToCheckpointJson(), trials);
        Assert.Equal(2, again.Tuner.Observations.Count);
    }

    [Fact]
    public void Restore_RebuiltFromObservations_KeepsCountersResampleRhythmAndPendingPoints()
    {
        // An uninterrupted study (checkpoint kept) against the same study rebuilt from its stored trials before every
        // suggestion: same ids, same phases (no burst of resamples), and the resampled points are the same.
        var spec = Spec with { Tuner = new CarbsOptions { Seed = 3, NumRandomSamples = 2, ResampleFrequency = 2, ResampleOnlyWhenUncertain = false } };
        var trials = new List<TrialRecord>();
        string? checkpoint = null;
        var resamples = 0;
        for (var n = 1; n <= 14; n++)
        {
            var uninterrupted = StudyTuner.Restore(spec, checkpoint, trials);
            var rebuilt = StudyTuner.Restore(spec, null, trials);
            Assert.True(rebuilt.WasRebuilt);
            var expected = uninterrupted.Tuner.Suggest(1)[0];
            var actual = rebuilt.Tuner.Suggest(1)[0];
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Phase, actual.Phase);
            if (expected.Phase == SuggestionPhase.Resample)
            {
                resamples++;
                Assert.Equal(expected.Parameters, actual.Parameters);
            }
            checkpoint = uninterrupted.ToCheckpointJson();
            var lr = expected.Parameters["lr"].Number;
            // Trial n - 1 is still running while n is suggested (one pending point), then finishes.
            trials.Add(new TrialRecord
            {
                Study = "t", Number = n, SuggestionId = expected.Id, State = TrialState.Running, Phase = expected.Phase,
                Parameters = expected.Parameters, CreatedAt = DateTimeOffset.UnixEpoch,
            });
            if (n > 1)
            {
                var previous = trials[n - 2];
                var x = previous.Parameters["lr"].Number;
                trials[n - 2] = previous with
                {
                    State = TrialState.Succeeded, Output = Math.Pow(Math.Log10(x) + 3, 2), Cost = previous.Parameters["steps"].Number,
                    FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(n),
                };
            }
            Assert.True(lr > 0);
        }
        Assert.InRange(resamples, 2, 6);
    }

    [Fact]
    public void Restore_AtEveryStepFromTheStoredCheckpoint_SuggestsExactlyWhatTheUninterruptedTunerDoes()
    {
        // A study restored from the store before every suggestion (checkpoint without observations + the stored trials)
        // against one tuner kept in memory that saw the same results in the same order: identical suggestions, with
        // noise, failures, trust regions and uncertain-only resampling all in play.
        var spec = Spec with { Tuner = new CarbsOptions { Seed = 5, NumRandomSamples = 3, ResampleFrequency = 3 } };
        var live = new CarbsTuner(new SearchSpace(spec.Parameters), spec.EffectiveTunerOptions);
        var trials = new List<TrialRecord>();
        var noise = new Random(11);
        string? checkpoint = null;
        var phases = new HashSet<SuggestionPhase>();
        for (var n = 1; n <= 18; n++)
        {
            var restored = StudyTuner.Restore(spec, checkpoint, trials);
            Assert.Equal(n > 1, !restored.WasRebuilt);
            var expected = live.Suggest(1)[0];
            var actual = restored.Tuner.Suggest(1)[0];
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Phase, actual.Phase);
            Assert.Equal(expected.Parameters, actual.Parameters);
            phases.Add(actual.Phase);
            checkpoint = restored.ToCheckpointJson();

            var lr = actual.Parameters["lr"].Number;
            var steps = actual.Parameters["steps"].Number;
            var failed = n % 7 == 0;
            var output = Math.Pow(Math.Log10(lr) + 3, 2) + (300.0 / steps) + (0.05 * noise.NextDouble());
            var created = DateTimeOffset.UnixEpoch.AddSeconds(10 * n);
            trials.Add(new TrialRecord
            {
                Study = "t", Number = n, SuggestionId = actual.Id, State = failed ? TrialState.Failed : TrialState.Succeeded,
                Phase = actual.Phase, Parameters = actual.Parameters, CreatedAt = created, FinishedAt = created.AddSeconds(5),
                Output = failed ? null : output, Cost = failed ? null : steps, ElapsedSeconds = 5,
            });
            live.Observe(StudyTuner.ToObservation(trials[^1])!);
        }
        Assert.Contains(SuggestionPhase.Bayesian, phases);

        // The checkpoint does not carry the observations (the trials do): its size does not grow with the study.
        var stored = TunerCheckpoint.TryParse(checkpoint)!;
        Assert.True(stored.ObservationsInTrials);
        Assert.Equal(17, stored.ObservedTrials.Count);
        using var state = System.Text.Json.JsonDocument.Parse(stored.TunerJson);
        Assert.Equal(0, state.RootElement.GetProperty("Observations").GetArrayLength());
        Assert.Equal(17, state.RootElement.GetProperty("ObservationCount").GetInt32());
    }

    [Fact]
    public void Restore_CheckpointListingATrialTheStudyNoLongerHolds_RebuildsFromTheTrials()
    {
        var trials = new List<TrialRecord> { Trial(1, TrialState.Succeeded, 2.0), Trial(2, TrialState.Succeeded, 1.0) };
        var checkpoint = StudyTuner.Restore(Spec, null, trials).ToCheckpointJson();
        var restored = StudyTuner.Restore(Spec, checkpoint, [trials[0]]);
        Assert.True(restored.WasRebuilt);
        Assert.Single(restored.Tuner.Observations);
    }

    [Fact]
    public void Restore_FullCheckpointOfAnEarlierVersion_StillRestores()
    {
        var trials = new List<TrialRecord> { Trial(1, TrialState.Succeeded, 2.0), Trial(2, TrialState.Succeeded, 1.0) };
        var tuner = StudyTuner.Restore(Spec, null, trials).Tuner;
        var old = new TunerCheckpoint(tuner.ToJson(), [1, 2]).ToJson();
        Assert.DoesNotContain("ObservationsInTrials\":true", old, StringComparison.Ordinal);
        var restored = StudyTuner.Restore(Spec, old, trials);
        Assert.False(restored.WasRebuilt);
        Assert.Equal(2, restored.Tuner.Observations.Count);
    }
}
