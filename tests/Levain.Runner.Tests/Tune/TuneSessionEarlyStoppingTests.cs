using System.Text.Json;
using Levain.Runner.Definition;
using Levain.Runner.Tests.Support;
using Levain.Runner.Tune;
using Levain.Studies.Stores;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Tune;

/// <summary>Early stopping in the tune loop: real child processes print learning curves; the rule stops the bad ones.</summary>
public sealed class TuneSessionEarlyStoppingTests : IDisposable
{
    // A learning curve: after step s (cost s), loss = (x - 0.3)² + 1/s; nine steps of 0.25 s each.
    private const string Curve = """
        import json, os, sys, time
        x = float(sys.argv[1])
        for step in range(1, 10):
            time.sleep(0.25)
            print("levain-progress " + json.dumps({"step": step, "loss": (x - 0.3) ** 2 + 1.0 / step, "work": step}), flush=True)
        json.dump({"loss": (x - 0.3) ** 2 + 1.0 / 9, "work": 9}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    private readonly TempDirectory _dir = new();

    public TuneSessionEarlyStoppingTests() => _dir.File("curve.py", Curve);

    public void Dispose() => _dir.Dispose();

    private StudyDefinition Study(int trials) => new()
    {
        Name = "es",
        Command = ["python3", "curve.py", "{x}"],
        Parameters = [ParameterSpec.Linear("x", 0.0, -2, 2)],
        WorkingDirectory = _dir.Path,
        Cost = "work",
        Tuner = new CarbsOptions { Seed = 3, NumRandomSamples = 4 },
        Budget = new StudyBudget(trials, null, null),
        Workers = 1,
        Storage = "sqlite:./es.db",
        BaseDirectory = _dir.Path,
        LogDirectory = Path.Combine(_dir.Path, "logs"),
        EarlyStopping = new EarlyStoppingOptions(MinCost: 1, Reduction: 3, MinTrialsOrDefault: 2),
    };

    [Fact]
    public async Task BadCurvesAreStoppedAtARung_AndTheirPartialResultIsAnObservation_AndResumeReplaysTheCurves()
    {
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(Study(8), new Sink(events), CancellationToken.None);
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
        Assert.Equal(8, summary.Trials.Count);
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Succeeded, t.State));

        var stopped = summary.Trials.Where(t => t.ResultJson!.Contains("early_stopped", StringComparison.Ordinal)).ToList();
        var finished = summary.Trials.Except(stopped).ToList();
        Assert.NotEmpty(stopped);
        Assert.NotEmpty(finished);
        Assert.Contains(summary.Trials[0], finished); // nothing is stopped while a rung holds fewer than min_trials values
        foreach (var trial in stopped)
        {
            using var result = JsonDocument.Parse(trial.ResultJson!);
            var rule = result.RootElement.GetProperty("early_stopped");
            var rungCost = rule.GetProperty("rung_cost").GetDouble();
            Assert.Contains(rungCost, new[] { 1.0, 3.0, 9.0 });       // rungs at 1, 3, 9 (a curve can be judged at its last line)
            Assert.Equal(rungCost, trial.Cost!.Value);                 // stopped at the line that reached the rung
            var x = trial.Parameters["x"].Number;
            Assert.Equal(((x - 0.3) * (x - 0.3)) + (1.0 / rungCost), trial.Output!.Value, 6); // the curve's value there
            // At that rung, at least ⌈n/3⌉ earlier curves were better (the rule's own record says so).
            Assert.True(rule.GetProperty("rung_size").GetInt32() >= 2);
            // The process was stopped: its log ends before the ninth step.
            var log = File.ReadAllText(Path.Combine(_dir.Path, "logs", $"trial-{trial.Number}.attempt-1.log"));
            Assert.Contains($"\"step\": {(int)rungCost}", log, StringComparison.Ordinal);
            if (rungCost < 9) Assert.DoesNotContain("\"step\": 9", log, StringComparison.Ordinal);
        }
        Assert.All(finished, t => Assert.Equal(9.0, t.Cost!.Value));
        // The tuner sees a stopped trial as a partial observation (output model only; never on the front or in the cost model).
        Assert.All(stopped, t => Assert.True(Levain.Studies.Tuning.StudyTuner.ToObservation(t)!.IsPartial));
        Assert.All(finished, t => Assert.False(Levain.Studies.Tuning.StudyTuner.ToObservation(t)!.IsPartial));
        Assert.Equal(stopped.Count, events.Count(e => e.Kind == TuneEventKind.TrialEarlyStopped));
        // The best trial is a finished one, and the cost saved is real.
        var best = finished.Min(t => t.Output!.Value);
        Assert.True(stopped.All(t => t.Output!.Value > best));
        Assert.True(summary.Trials.Sum(t => t.Cost!.Value) < 8 * 9);

        // Resuming with a larger budget replays every stored curve point into the rule before new trials run.
        events.Clear();
        var resumed = await TuneSession.RunAsync(Study(9), new Sink(events), CancellationToken.None);
        Assert.Equal(9, resumed.Trials.Count);
        Assert.Contains(events, e => e.Kind == TuneEventKind.TunerLog && e.Message.StartsWith("early stopping: replayed", StringComparison.Ordinal)
            && e.Message.Contains("of 8 trials", StringComparison.Ordinal));
    }

    // The same curve with a run length: a run of S steps stopped after step s is exactly the run of s steps.
    private const string LengthCurve = """
        import json, os, sys, time
        x, steps = float(sys.argv[1]), int(sys.argv[2])
        for step in range(1, steps + 1):
            time.sleep(0.25)
            print("levain-progress " + json.dumps({"step": step, "steps": steps, "loss": (x - 0.3) ** 2 + 1.0 / step, "work": step}), flush=True)
        json.dump({"loss": (x - 0.3) ** 2 + 1.0 / steps, "work": steps}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    [Fact]
    public async Task WithALengthParameter_AStoppedTrialIsObservedAsTheCompleteShorterRun()
    {
        _dir.File("length.py", LengthCurve);
        var study = Study(8) with
        {
            Name = "es-length",
            Command = ["python3", "length.py", "{x}", "{steps}"],
            Parameters = [ParameterSpec.Linear("x", 0.0, -2, 2), ParameterSpec.Linear("steps", 9, 1, 9, isInteger: true)],
            EarlyStoppingLengthParameter = "steps",
        };
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(study, new Sink(events), CancellationToken.None);
        Assert.Equal(8, summary.Trials.Count);
        var stopped = summary.Trials.Where(t => t.IsEarlyStopped).ToList();
        Assert.NotEmpty(stopped);
        foreach (var trial in stopped)
        {
            // Stopped after step s of S (its cost): the result names the run of S × s / S = s steps, and the tuner sees that run.
            var step = trial.Cost!.Value;
            using var result = JsonDocument.Parse(trial.ResultJson!);
            Assert.Equal(step, result.RootElement.GetProperty("early_stopped").GetProperty("shortened_run").GetProperty("steps").GetDouble());
            var observation = Levain.Studies.Tuning.StudyTuner.ToObservation(trial)!;
            Assert.False(observation.IsPartial);
            Assert.Equal(step, observation.Parameters["steps"].Number);
            Assert.Equal(trial.Parameters["x"], observation.Parameters["x"]);
            Assert.Equal(trial.Output!.Value, observation.Output);
        }
        // The summary's best run is the run that reached the metric: a stopped best trial shows its shorter run.
        var bestStopped = stopped.MinBy(t => t.Output!.Value)!;
        var asBest = summary with { Status = summary.Status with { BestTrial = bestStopped.Number, BestOutput = bestStopped.Output } };
        var (bestTrial, bestParameters, note) = asBest.BestRun()!.Value;
        Assert.Equal((bestStopped.Number, bestStopped.Cost!.Value, "stopped early: its complete shorter run"), (bestTrial.Number, bestParameters["steps"].Number, note));
        var finishedBest = summary.Trials.Except(stopped).First();
        var asFinished = summary with { Status = summary.Status with { BestTrial = finishedBest.Number } };
        Assert.Equal((finishedBest.Parameters["steps"], ""), (asFinished.BestRun()!.Value.Parameters["steps"], asFinished.BestRun()!.Value.Note));
        Assert.All(stopped, t => Assert.Contains(events, e => e.Kind == TuneEventKind.TrialEarlyStopped && e.TrialNumber == t.Number
            && e.Message.Contains($"observed as the complete run with steps={t.Cost!.Value}", StringComparison.Ordinal)));
    }

    // A longer curve for the front rule, which needs six points in its window [c/3, c] before it judges.
    private const string LongCurve = """
        import json, os, sys, time
        x = float(sys.argv[1])
        for step in range(1, 25):
            time.sleep(0.03)
            print("levain-progress " + json.dumps({"step": step, "steps": 24, "loss": (x - 0.3) ** 2 + 1.0 / step, "work": step}), flush=True)
        json.dump({"loss": (x - 0.3) ** 2 + 1.0 / 24, "work": 24}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    [Fact]
    public async Task FrontRule_StopsCurvesThatProjectWorseThanTheFrontAtTheirPlannedCost_AndSaysWhy()
    {
        _dir.File("long.py", LongCurve);
        var study = Study(7) with
        {
            Name = "es-front",
            Command = ["python3", "long.py", "{x}"],
            EarlyStoppingFront = new FrontDominanceOptions(MinCost: 1),
        };
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(study, new Sink(events), CancellationToken.None);
        Assert.Equal(7, summary.Trials.Count);
        var stopped = summary.Trials.Where(t => t.IsEarlyStopped).ToList();
        var finished = summary.Trials.Except(stopped).ToList();
        Assert.NotEmpty(stopped);
        Assert.NotEmpty(finished);
        var best = finished.Min(t => t.Output!.Value);
        foreach (var trial in stopped)
        {
            using var result = JsonDocument.Parse(trial.ResultJson!);
            var rule = result.RootElement.GetProperty("early_stopped");
            Assert.Equal("front", rule.GetProperty("rule").GetString());
            Assert.Equal(24.0, rule.GetProperty("planned_cost").GetDouble(), 9);       // cost x steps / step
            Assert.True(rule.GetProperty("projected").GetDouble() > rule.GetProperty("front").GetDouble()); // worse, for a minimised loss
            // No length parameter: the tuner is told the projected end of the run at its planned cost (partial).
            var projectedFinal = rule.GetProperty("projected_final").GetDouble();
            var observation = Levain.Studies.Tuning.StudyTuner.ToObservation(trial)!;
            Assert.Equal((true, projectedFinal, 24.0), (observation.IsPartial, observation.Output, observation.Cost));
            Assert.InRange(trial.Cost!.Value, 6, 23);                                   // stopped before its end, after six points
            var x = trial.Parameters["x"].Number;
            Assert.Equal(((x - 0.3) * (x - 0.3)) + (1.0 / trial.Cost.Value), trial.Output!.Value, 6);
            Assert.True((x - 0.3) * (x - 0.3) > best - (1.0 / 24));                      // never a better point than the best finished
            Assert.Contains(events, e => e.Kind == TuneEventKind.TrialEarlyStopped && e.TrialNumber == trial.Number
                && e.Message.Contains("its curve projects (optimistically) to loss=", StringComparison.Ordinal));
        }
        Assert.All(finished, t => Assert.Equal(24.0, t.Cost!.Value));
        Assert.DoesNotContain(events, e => e.Message.Contains("planned cost is unknown", StringComparison.Ordinal));

        // Lines without step and steps cannot be judged by the front rule: said once, nothing stopped.
        events.Clear();
        var blind = await TuneSession.RunAsync(Study(3) with { Name = "es-blind", EarlyStoppingFront = new FrontDominanceOptions(MinCost: 1) }, new Sink(events), CancellationToken.None);
        Assert.DoesNotContain(blind.Trials, t => t.IsEarlyStopped);
        Assert.Single(events, e => e.Message.Contains("progress lines carry loss but not step and steps, so its planned cost is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void ShortenedRun_ScalesTheLengthByStepOverSteps_RoundsIntegers_AndSaysWhyNot()
    {
        var steps = ParameterSpec.Log("steps", 1000, 100, 10000, isInteger: true, rounding: 10);
        var plan = new Dictionary<string, ParamValue> { ["steps"] = 3000.0 };
        Assert.Equal((1000.0, (string?)null), TuneSession.ShortenedRun(steps, plan, 333.0 / 1000));
        Assert.Equal((1500.0, (string?)null), TuneSession.ShortenedRun(ParameterSpec.Linear("steps", 1000, 1, 5000), plan, 0.5));
        Assert.Equal("its progress line does not say step and steps", TuneSession.ShortenedRun(steps, plan, null).WhyNot);
        Assert.Equal("steps=30 is below its bounds", TuneSession.ShortenedRun(steps, plan, 0.01).WhyNot);
        Assert.Equal("the trial has no number for steps", TuneSession.ShortenedRun(steps, new Dictionary<string, ParamValue> { ["steps"] = "x" }, 0.5).WhyNot);
    }

    private sealed class Sink(List<TuneProgress> events) : IProgress<TuneProgress>
    {
        public void Report(TuneProgress value)
        {
            lock (events) events.Add(value);
        }
    }
}
