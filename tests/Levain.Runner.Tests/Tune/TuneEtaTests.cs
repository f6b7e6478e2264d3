using Levain.Runner.Definition;
using Levain.Runner.Tune;
using Levain.Studies.Trials;

namespace Levain.Runner.Tests.Tune;

public sealed class TuneEtaTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static TrialRecord Trial(int number, TrialState state, double? seconds = null, TimeSpan? runningFor = null) => new()
    {
        Study = "s",
        Number = number,
        SuggestionId = $"s{number}",
        State = state,
        Parameters = new Dictionary<string, Levain.Tuning.Spaces.ParamValue>(),
        CreatedAt = Now.AddHours(-1),
        StartedAt = runningFor is TimeSpan r ? Now - r : Now.AddMinutes(-30),
        ElapsedSeconds = seconds,
    };

    private static TuneStatus Status(IReadOnlyList<TrialRecord> trials, int? budget) => new(
        trials.Count(t => t.State == TrialState.Succeeded), trials.Count(t => t.State == TrialState.Failed),
        trials.Count(t => t.State == TrialState.Running), trials.Count(t => t.State == TrialState.Suggested), 0, budget, null, null, 0, TimeSpan.Zero, null);

    [Fact]
    public void Estimate_PastTheWall_IsWhatTheRunningTrialsNeedNotZero()
    {
        TrialRecord[] trials = [Trial(1, TrialState.Succeeded, 30), Trial(2, TrialState.Succeeded, 50), Trial(3, TrialState.Running, runningFor: TimeSpan.FromSeconds(10)),
            Trial(4, TrialState.Running, runningFor: TimeSpan.FromSeconds(25))];
        var eta = TuneEta.Estimate(Status(trials, 36), trials, TimeSpan.FromSeconds(75), Now, new StudyBudget(36, null, TimeSpan.FromSeconds(70)), 2, 0, null);
        Assert.Equal(TimeSpan.FromSeconds(30), eta); // mean 40 s, the younger trial ran 10 s
    }

    [Fact]
    public void Estimate_PastTheWall_TrialBeyondTheMean_UsesItsTimeoutElseUnknown()
    {
        TrialRecord[] trials = [Trial(1, TrialState.Succeeded, 20), Trial(2, TrialState.Running, runningFor: TimeSpan.FromSeconds(35))];
        var budget = new StudyBudget(10, null, TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(15), TuneEta.Estimate(Status(trials, 10), trials, TimeSpan.FromSeconds(61), Now, budget, 1, 0, TimeSpan.FromSeconds(50)));
        Assert.Null(TuneEta.Estimate(Status(trials, 10), trials, TimeSpan.FromSeconds(61), Now, budget, 1, 0, null));
    }

    [Fact]
    public void Estimate_PastTheWall_NothingRunning_IsZero()
    {
        TrialRecord[] trials = [Trial(1, TrialState.Succeeded, 20), Trial(2, TrialState.Failed, 5)];
        Assert.Equal(TimeSpan.Zero, TuneEta.Estimate(Status(trials, 10), trials, TimeSpan.FromSeconds(90), Now, new StudyBudget(10, null, TimeSpan.FromSeconds(60)), 1, 0, null));
    }

    [Fact]
    public void Estimate_BeforeTheWall_SoonestOfTrialBudgetAndWallPlusOneTrial()
    {
        TrialRecord[] trials = [Trial(1, TrialState.Succeeded, 10), Trial(2, TrialState.Succeeded, 30), Trial(3, TrialState.Running, runningFor: TimeSpan.FromSeconds(5))];
        var status = Status(trials, 10);
        // Trial budget: 7 to start + half of the running one = 7.5 → ceil(7.5 / 2) = 4 rounds × 20 s = 80 s.
        Assert.Equal(TimeSpan.FromSeconds(80), TuneEta.Estimate(status, trials, TimeSpan.FromSeconds(40), Now, new StudyBudget(10, null, TimeSpan.FromSeconds(400)), 2, 0, null));
        // Wall: 60 s left plus one mean trial of 20 s.
        Assert.Equal(TimeSpan.FromSeconds(80), TuneEta.Estimate(status, trials, TimeSpan.FromSeconds(40), Now, new StudyBudget(100, null, TimeSpan.FromSeconds(100)), 2, 0, null));
        Assert.Null(TuneEta.Estimate(Status([], 10), [], TimeSpan.FromSeconds(1), Now, new StudyBudget(10, null, null), 2, 0, null));
    }

    [Fact]
    public void FromProgress_ReadsTheShareDoneFromStepsElseFromTheCostSoFar()
    {
        // The demo's 10x launch as it printed: step 12,350 of 30,650 after 164 s (its ETA then came from the study's 36-trial budget: 7m10s).
        const string demo = "{\"step\":12350,\"steps\":30650,\"loss\":0.3228,\"seconds\":164.089,\"flops\":5672062156800}";
        Assert.Equal(164.0 * (30650 - 12350) / 12350, TuneEta.FromProgress(demo, TimeSpan.FromSeconds(164), "flops", 1.408e13)!.Value.TotalSeconds, 1e-6);
        // No steps: the cost so far over the expected cost (here 40 % after 100 s: 150 s left).
        Assert.Equal(150.0, TuneEta.FromProgress("{\"flops\": 4e12}", TimeSpan.FromSeconds(100), "flops", 1e13)!.Value.TotalSeconds, 1e-6);
        Assert.Equal(TimeSpan.Zero, TuneEta.FromProgress("{\"step\": 10, \"steps\": 10}", TimeSpan.FromSeconds(100), "flops", null));
        // Nothing to go on: no steps and no expected cost, too early, not an object, not JSON.
        Assert.Null(TuneEta.FromProgress("{\"flops\": 4e12}", TimeSpan.FromSeconds(100), "flops", null));
        Assert.Null(TuneEta.FromProgress("{\"step\": 1, \"steps\": 1000}", TimeSpan.FromSeconds(1), "flops", null));
        Assert.Null(TuneEta.FromProgress("[1, 2]", TimeSpan.FromSeconds(100), "flops", 1e13));
        Assert.Null(TuneEta.FromProgress("step 5", TimeSpan.FromSeconds(100), "flops", 1e13));
        Assert.Null(TuneEta.FromProgress("{\"step\": \"five\", \"steps\": 10}", TimeSpan.FromSeconds(100), "flops", null));
    }
}
