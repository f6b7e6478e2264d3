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

    private sealed class Sink(List<TuneProgress> events) : IProgress<TuneProgress>
    {
        public void Report(TuneProgress value)
        {
            lock (events) events.Add(value);
        }
    }
}
