using Levain.Runner.Definition;
using Levain.Runner.Launchers;
using Levain.Runner.Tests.Support;
using Levain.Runner.Tune;
using Levain.Studies.Stores;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Tune;

/// <summary>The tune loop in-process: real SQLite store, real child processes, a tiny Python objective.</summary>
public sealed class TuneSessionTests : IDisposable
{
    private const string Objective = """
        import json, os, sys, time
        x = float(sys.argv[1]); delay = float(sys.argv[2]); fail_above = float(sys.argv[3])
        print("levain-progress " + json.dumps({"x": x}), flush=True)
        time.sleep(delay)
        if x > fail_above:
            print("x too large", file=sys.stderr)
            sys.exit(5)
        json.dump({"loss": (x - 0.3) ** 2, "work": 10 + x}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    private readonly TempDirectory _dir = new();

    private StudyDefinition Study(int trials = 6, double delay = 0.05, double failAbove = 100, string name = "s", int workers = 2) => new()
    {
        Name = name,
        Command = ["python3", "objective.py", "{x}", delay.ToString(System.Globalization.CultureInfo.InvariantCulture), failAbove.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        Parameters = [ParameterSpec.Linear("x", 0.0, -2, 2)],
        WorkingDirectory = _dir.Path,
        Cost = "work",
        Tuner = new CarbsOptions { Seed = 1, NumRandomSamples = 3 },
        Budget = new StudyBudget(trials, null, null),
        Workers = workers,
        Storage = "sqlite:./studies.db",
        BaseDirectory = _dir.Path,
        LogDirectory = Path.Combine(_dir.Path, "logs"),
        LeaseTimeToLive = TimeSpan.FromSeconds(10),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
    };

    public TuneSessionTests() => _dir.File("objective.py", Objective);

    private SqliteStudyStore Store() => new(Path.Combine(_dir.Path, "studies.db"));

    [Fact]
    public async Task RunAsync_TrialBudget_RunsExactlyThatManyAndReportsProgress()
    {
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(Study(), new SyncProgress(events), CancellationToken.None);
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
        Assert.Equal(6, summary.Trials.Count);
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.Equal(Enumerable.Range(1, 6), summary.Trials.Select(t => t.Number));
        Assert.All(summary.Trials, t => Assert.Equal(10 + t.Parameters["x"].Number, t.Cost!.Value, 9));
        Assert.Equal(6, events.Count(e => e.Kind == TuneEventKind.TrialSucceeded));
        Assert.Equal(6, events.Count(e => e.Kind == TuneEventKind.TrialProgress));
        Assert.Equal(summary.Trials.Min(t => t.Output), summary.Status.BestOutput);
        Assert.Equal(summary.Trials.Sum(t => t.Cost!.Value), summary.Status.CostSpent, 9);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "logs", "trial-3.attempt-1.log")));
        await using var store = Store();
        Assert.Single(await store.GetProgressAsync("s", 3));
    }

    [Fact]
    public async Task RunAsync_TwoWorkers_TrialStartedStatusCountsEveryRunningTrial()
    {
        var events = new List<TuneProgress>();
        await TuneSession.RunAsync(Study(trials: 4, delay: 1.0), new SyncProgress(events), CancellationToken.None);
        var started = events.Where(e => e.Kind == TuneEventKind.TrialStarted).ToList();
        Assert.Equal(4, started.Count);
        Assert.All(started, e => Assert.InRange(e.Status.Running, 1, 2)); // the trial that starts is running itself
        Assert.Equal(2, started.Max(e => e.Status.Running)); // both slots busy: the status said "running 1" before
    }

    [Fact]
    public async Task RunAsync_ExistingStudy_ResumesWithoutTouchingEarlierObservations()
    {
        var first = await TuneSession.RunAsync(Study(trials: 4), null, CancellationToken.None);
        var second = await TuneSession.RunAsync(Study(trials: 7), null, CancellationToken.None);
        Assert.Equal(7, second.Trials.Count);
        foreach (var before in first.Trials)
        {
            var after = second.Trials.Single(t => t.Number == before.Number);
            Assert.Equal((before.Output, before.Cost, before.FinishedAt), (after.Output, after.Cost, after.FinishedAt));
        }
        await using var store = Store();
        var study = (await store.FindStudyAsync("s"))!;
        var tuner = StudyTuner.Restore(study.Spec, study.TunerCheckpoint, second.Trials);
        Assert.False(tuner.WasRebuilt);
        Assert.Equal(7, tuner.Tuner.Observations.Count);
    }

    [Fact]
    public async Task RunAsync_FailingTrials_RecordedAsFailuresWithReasons()
    {
        var summary = await TuneSession.RunAsync(Study(trials: 6, failAbove: 0.0), null, CancellationToken.None);
        var failed = summary.Trials.Where(t => t.State == TrialState.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.True(t.Parameters["x"].Number > 0));
        Assert.All(failed, t => Assert.Contains("exited with code 5", t.FailureReason, StringComparison.Ordinal));
        Assert.All(failed, t => Assert.Contains("x too large", t.FailureReason, StringComparison.Ordinal));
        Assert.Equal(6, summary.Trials.Count);
    }

    [Fact]
    public async Task RunAsync_DifferentSearchSpaceUnderSameName_ReportsMismatch()
    {
        await TuneSession.RunAsync(Study(trials: 1), null, CancellationToken.None);
        var changed = Study(trials: 2) with { Parameters = [ParameterSpec.Logit("x", 0.5)] };
        var summary = await TuneSession.RunAsync(changed, null, CancellationToken.None);
        Assert.Equal(TuneOutcome.StudyMismatch, summary.Outcome);
        Assert.True(summary.IsInputError);
        Assert.Contains("parameters.x.kind: linear → logit", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResumeWithNarrowedBoundAndNewSeed_RefusedNamingEachFieldAndNothingRuns()
    {
        await TuneSession.RunAsync(Study(trials: 2), null, CancellationToken.None);
        var edited = Study(trials: 4) with
        {
            Parameters = [ParameterSpec.Linear("x", 0.0, -1, 2)],
            Tuner = new CarbsOptions { Seed = 9, NumRandomSamples = 3 },
        };
        var summary = await TuneSession.RunAsync(edited, null, CancellationToken.None);
        Assert.Equal(TuneOutcome.StudyMismatch, summary.Outcome);
        Assert.Contains("parameters.x.min: -2 → -1 narrows the range", summary.Message, StringComparison.Ordinal);
        Assert.Contains("tuner.seed: 1 → 9", summary.Message, StringComparison.Ordinal);
        await using var store = Store();
        Assert.Equal(2, (await store.GetTrialsAsync("s")).Count);
    }

    [Fact]
    public async Task RunAsync_ResumeWithWidenedBoundAndEditedTunerOptions_AppliesThemSaysSoAndKeepsOldObservations()
    {
        await TuneSession.RunAsync(Study(trials: 4, workers: 1), null, CancellationToken.None);
        var edited = Study(trials: 8, workers: 1) with
        {
            Parameters = [ParameterSpec.Linear("x", 0.5, -4, 2)],
            Tuner = new CarbsOptions { Seed = 1, NumRandomSamples = 3, SearchRadius = 0.6, ResampleFrequency = 0 },
        };
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(edited, new SyncProgress(events), CancellationToken.None);
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
        Assert.Equal(8, summary.Trials.Count);
        var applied = Assert.Single(events, e => e.Message.StartsWith("study file edits applied on resume", StringComparison.Ordinal)).Message;
        Assert.Contains("parameters.x.min: -2 → -4 (widened)", applied, StringComparison.Ordinal);
        Assert.Contains("parameters.x.center: 0 → 0.5", applied, StringComparison.Ordinal);
        Assert.Contains("tuner.search_radius: 0.3 → 0.6", applied, StringComparison.Ordinal);
        Assert.Contains("tuner.resample_frequency: 5 → 0", applied, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Message.Contains("rebuilt", StringComparison.Ordinal));

        await using var store = Store();
        var record = await store.FindStudyAsync("s");
        Assert.Equal(-4, record!.Spec.Parameters[0].Min);
        Assert.Equal(0.6, record.Spec.Tuner.SearchRadius);
        var tuner = StudyTuner.Restore(record.Spec, record.TunerCheckpoint, summary.Trials);
        Assert.False(tuner.WasRebuilt);
        Assert.Equal(0.6, tuner.Tuner.Options.SearchRadius);
        Assert.Equal(-4, tuner.Tuner.Space.Parameters[0].Min);
        Assert.Equal(8, tuner.Tuner.Observations.Count);

        // The same file again: nothing left to apply.
        events.Clear();
        await TuneSession.RunAsync(edited with { Budget = new StudyBudget(9, null, null) }, new SyncProgress(events), CancellationToken.None);
        Assert.DoesNotContain(events, e => e.Message.StartsWith("study file edits applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WarmStart_ImportsTheOtherStudysPointsInsideTheSpaceOnceAndSpendsItsOwnBudget()
    {
        var first = await TuneSession.RunAsync(Study(trials: 5, workers: 1, name: "narrow"), null, CancellationToken.None);
        Assert.Equal(5, first.Trials.Count);
        // The new study widens x upward but cuts it below 0: the earlier points below 0 are dropped and named.
        var wide = Study(trials: 3, workers: 1, name: "wide") with
        {
            Parameters = [ParameterSpec.Linear("x", 0.5, 0, 4)],
            WarmStart = new WarmStartSource("sqlite:./studies.db", "narrow", _dir.Path, "study 'narrow'"),
        };
        var events = new List<TuneProgress>();
        var summary = await TuneSession.RunAsync(wide, new SyncProgress(events), CancellationToken.None);
        var inside = first.Trials.Count(t => t.Parameters["x"].Number >= 0);
        Assert.InRange(inside, 1, 4); // seeded: some points on each side of 0
        var imported = summary.Trials.Where(t => t.Phase == SuggestionPhase.Imported).ToList();
        Assert.Equal(inside, imported.Count);
        Assert.Equal(3, summary.Trials.Count(t => t.Phase != SuggestionPhase.Imported));
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
        var line = Assert.Single(events, e => e.Message.StartsWith("warm start from study 'narrow'", StringComparison.Ordinal)).Message;
        Assert.Contains($"imported {inside} finished trial(s)", line, StringComparison.Ordinal);
        Assert.Contains($"dropped {5 - inside} outside this search space: trial ", line, StringComparison.Ordinal);
        Assert.Contains("is outside its bounds [0, 4]", line, StringComparison.Ordinal);
        Assert.All(imported, t => Assert.Contains(first.Trials, f => f.Parameters["x"].Number == t.Parameters["x"].Number && f.Output == t.Output));
        Assert.Equal(3, summary.Status.Succeeded);

        // The imported trials are observations of the tuner, restored like any other.
        await using var store = Store();
        var record = await store.FindStudyAsync("wide");
        var tuner = StudyTuner.Restore(record!.Spec, record.TunerCheckpoint, summary.Trials);
        Assert.False(tuner.WasRebuilt);
        Assert.Equal(inside + 3, tuner.Tuner.Observations.Count);

        // Resuming imports nothing again.
        events.Clear();
        var again = await TuneSession.RunAsync(wide with { Budget = new StudyBudget(4, null, null) }, new SyncProgress(events), CancellationToken.None);
        Assert.Equal(inside, again.Trials.Count(t => t.Phase == SuggestionPhase.Imported));
        Assert.DoesNotContain(events, e => e.Message.StartsWith("warm start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WarmStartFromAnotherObjective_RefusedBeforeAnyTrial()
    {
        await TuneSession.RunAsync(Study(trials: 1, workers: 1, name: "other"), null, CancellationToken.None);
        var study = Study(trials: 2, workers: 1, name: "mine") with
        {
            Metric = "work",
            WarmStart = new WarmStartSource("sqlite:./studies.db", "other", _dir.Path, "study 'other'"),
        };
        var summary = await TuneSession.RunAsync(study, null, CancellationToken.None);
        Assert.Equal(TuneOutcome.CannotStart, summary.Outcome);
        Assert.Contains("warm_start: study 'other' measured another objective (metric: loss → work", summary.Message, StringComparison.Ordinal);
        var missing = await TuneSession.RunAsync(study with { Name = "mine2", WarmStart = study.WarmStart! with { Study = "nope", Description = "study 'nope'" } }, null, CancellationToken.None);
        Assert.Equal("warm_start: study 'nope' does not exist", missing.Message);
    }

    [Fact]
    public async Task RunAsync_JoinMissingStudy_ReportsNotFound()
    {
        var summary = await TuneSession.RunAsync(Study(), null, CancellationToken.None, default, new TuneSessionOptions { JoinExistingOnly = true });
        Assert.Equal(TuneOutcome.StudyNotFound, summary.Outcome);
    }

    [Fact]
    public async Task RunAsync_GracefulStop_LetsRunningTrialFinishAndStartsNoMore()
    {
        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(e => { if (e.Kind == TuneEventKind.TrialStarted) stop.Cancel(); });
        var summary = await TuneSession.RunAsync(Study(trials: 10, delay: 1.0, workers: 1), progress, stop.Token);
        Assert.Equal(TuneOutcome.Stopped, summary.Outcome);
        var trial = Assert.Single(summary.Trials);
        Assert.Equal(TrialState.Succeeded, trial.State);
    }

    [Fact]
    public async Task RunAsync_Kill_AbandonsRunningTrials()
    {
        using var kill = new CancellationTokenSource();
        var started = 0;
        var progress = new SyncProgress(e => { if (e.Kind == TuneEventKind.TrialStarted && Interlocked.Increment(ref started) == 2) kill.CancelAfter(300); });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await TuneSession.RunAsync(Study(trials: 10, delay: 30, workers: 2), progress, CancellationToken.None, kill.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(TuneOutcome.Killed, summary.Outcome);
        Assert.Equal(2, summary.Trials.Count);
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Abandoned, t.State));
        Assert.All(summary.Trials, t => Assert.Contains("killed by the user", t.FailureReason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CostBudget_StopsOnceSpent()
    {
        var study = Study(trials: 100) with { Budget = new StudyBudget(null, 45, null), Workers = 1 };
        var summary = await TuneSession.RunAsync(study, null, CancellationToken.None);
        var spent = summary.Trials.Sum(t => t.Cost ?? 0);
        var costs = summary.Trials.Select(t => t.Cost ?? 0).ToArray();
        // The budget left is a hard cap for the tuner: at most one cheapest trial over, and the budget mostly used.
        Assert.True(spent <= 45 + costs.Min(), $"spent {spent} of 45");
        Assert.True(spent >= 45 - (2 * costs.Max()), $"spent only {spent} of 45");
        Assert.Equal(TuneOutcome.BudgetReached, summary.Outcome);
    }

    [Fact]
    public async Task RunAsync_InterruptedTrial_IsRetriedThenRecordedOnce()
    {
        var launcher = new InterruptFirstLauncher();
        await using var store = Store();
        var session = new TuneSession(Study(trials: 2, workers: 1), store, launcher);
        var summary = await session.RunAsync(null, CancellationToken.None);
        Assert.Equal(2, summary.Trials.Count);
        Assert.All(summary.Trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.Equal(2, summary.Trials[0].Attempt);
        Assert.Equal(3, launcher.Launches);
    }

    [Fact]
    public async Task RunAsync_TrialFloodsProgress_WritesCoalescedAndBounded()
    {
        // 20,000 progress lines in about two seconds: stored in a few batched writes of at most 100 lines each.
        _dir.File("chatty.py", """
            import json, os, time
            for step in range(20000):
                print("levain-progress " + json.dumps({"step": step}))
                if step % 2000 == 0: time.sleep(0.2)
            print("levain-result " + json.dumps({"loss": 1.0, "work": 1.0}), flush=True)
            """);
        var study = Study(trials: 1, workers: 1) with { Command = ["python3", "chatty.py"] };
        var summary = await TuneSession.RunAsync(study, null, CancellationToken.None, default, new TuneSessionOptions { ProgressFlushInterval = TimeSpan.FromMilliseconds(500) });
        Assert.Equal(TrialState.Succeeded, Assert.Single(summary.Trials).State);
        await using var store = Store();
        var lines = await store.GetProgressAsync("s", 1);
        var writes = lines.Select(l => l.At).Distinct().Count();
        Assert.InRange(writes, 1, 30);
        Assert.InRange(lines.Count, 1, 100 * writes);
        Assert.Equal("{\"step\": 19999}", lines[^1].Json);
        Assert.Equal("{\"step\": 19999}", Assert.Single(summary.Trials).LastProgressJson);
    }

    /// <summary>Reports the first launch as a node failure, then behaves like the local launcher.</summary>
    private sealed class InterruptFirstLauncher : ITrialLauncher
    {
        private readonly LocalLauncher _local = new();

        public int Launches { get; private set; }

        public Task<Levain.Runner.Protocol.LaunchResult> RunAsync(Levain.Runner.Protocol.TrialLaunch launch, Action<string>? onProgress, CancellationToken cancellationToken)
        {
            Launches++;
            return Launches == 1
                ? Task.FromResult(new Levain.Runner.Protocol.LaunchResult(Levain.Runner.Protocol.LaunchStatus.Interrupted, null, null, null, [], TimeSpan.Zero, "node failed"))
                : _local.RunAsync(launch, onProgress, cancellationToken);
        }
    }

    private sealed class SyncProgress(Action<TuneProgress> onEvent) : IProgress<TuneProgress>
    {
        private readonly object _gate = new();

        public SyncProgress(List<TuneProgress> sink)
            : this(sink.Add)
        {
        }

        public void Report(TuneProgress value)
        {
            lock (_gate) onEvent(value);
        }
    }

    public void Dispose() => _dir.Dispose();
}
