using Levain.Tuning;
using Levain.Tuning.EarlyStopping;

namespace Levain.Tuning.Tests.EarlyStopping;

public sealed class CostAwareAshaTests
{
    [Fact]
    public void Rungs_AreMinCostTimesReductionPowers()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(10, 3), Direction.Minimize);
        Assert.Equal(10, asha.RungCost(0));
        Assert.Equal(30, asha.RungCost(1));
        Assert.Equal(90, asha.RungCost(2), 9);
    }

    [Fact]
    public void NothingStopsBeforeTheFirstRungOrBeforeTheRungHoldsMinTrials()
    {
        Assert.Equal(6, new EarlyStoppingOptions(10, 3).MinTrials); // default 2⌈η⌉
        var asha = new CostAwareAsha(new EarlyStoppingOptions(10, 3, 3), Direction.Minimize);
        Assert.False(asha.Report("a", 9.9, 1.0).Stop);   // below the first rung
        Assert.False(asha.Report("a", 10, 1.0).Stop);    // rung 0: 1 value
        Assert.False(asha.Report("b", 12, 5.0).Stop);    // rung 0: 2 values, min_trials 3
        Assert.Equal(2, asha.RungSize(0));
        var third = asha.Report("c", 10, 9.0);            // rung 0: 3 values, keep ⌈3/3⌉ = 1; c is worst
        Assert.True(third.Stop);
        Assert.Equal(0, third.Rung);
        Assert.Equal(3, third.RungSize);
        Assert.Equal(1, third.Kept);
        Assert.Equal(9.0, third.Value);
    }

    [Fact]
    public void TheBestOfEachRungGoesOn_ComparedAtEqualCost()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(1, 2, 2), Direction.Minimize);
        // Curve a: 2.0 at cost 1, 1.5 at cost 2.
        Assert.False(asha.Report("a", 1, 2.0).Stop);
        Assert.False(asha.Report("a", 2, 1.5).Stop);
        // Curve b is better at cost 1 (keep ⌈2/2⌉ = 1 of 2: b is the best there, a was recorded before anyone) …
        Assert.False(asha.Report("b", 1, 1.8).Stop);
        // … but worse at cost 2, where a had 1.5: b is stopped at rung 1.
        var decision = asha.Report("b", 2, 1.7);
        Assert.True(decision.Stop);
        Assert.Equal(1, decision.Rung);
        Assert.Equal(2, decision.RungCost);
        // Reports after the decision are ignored.
        Assert.False(asha.Report("b", 4, 0.1).Stop);
        Assert.Equal(2, asha.RungSize(1));
        Assert.Equal(0, asha.RungSize(2));
    }

    [Fact]
    public void Maximize_KeepsTheLargestValues()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(1, 3, 3), Direction.Maximize);
        Assert.False(asha.Report("a", 1, 0.9).Stop);
        Assert.False(asha.Report("b", 1, 0.5).Stop);
        Assert.True(asha.Report("c", 1, 0.1).Stop);
        Assert.False(asha.Report("d", 1, 0.95).Stop); // the best so far: in the top ⌈4/3⌉ = 2
    }

    [Fact]
    public void TheRecordedValueIsTheBestSoFar_SoOneNoisyReportDoesNotStopATrial()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(4, 2, 2), Direction.Minimize);
        Assert.False(asha.Report("a", 4, 1.0).Stop);
        Assert.False(asha.Report("b", 2, 0.9).Stop);  // below the rung
        Assert.False(asha.Report("b", 4, 1.3).Stop);  // a noisy spike: its best so far (0.9) is recorded
    }

    [Fact]
    public void ACurveThatJumpsSeveralRungsIsJudgedAtEach()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(1, 2, 2), Direction.Minimize);
        asha.Report("a", 1, 1.0);
        asha.Report("a", 4, 0.5);   // rungs 0, 1 and 2 at once
        Assert.Equal(1, asha.RungSize(0));
        Assert.Equal(1, asha.RungSize(2));
        var decision = asha.Report("b", 8, 0.8); // rung 0: 0.8 beats 1.0; rung 1: 0.8 vs a's 0.5 → stopped at rung 1
        Assert.True(decision.Stop);
        Assert.Equal(1, decision.Rung);
    }

    [Fact]
    public void CurvesAreComparedOnlyWithinTheirPlannedCostBracket()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(1, 3, 2), Direction.Minimize);
        Assert.Equal(0, asha.BracketOf(2));   // planned 1 ≤ p < 3
        Assert.Equal(2, asha.BracketOf(9));   // planned 9 ≤ p < 27
        Assert.Equal(int.MinValue, asha.BracketOf(null));
        // Small runs (planned cost 2) finish with good values at cost 1 …
        Assert.False(asha.Report("small-1", 1, 0.5, plannedCost: 2).Stop);
        Assert.False(asha.Report("small-2", 1, 0.4, plannedCost: 2).Stop);
        // … a large run (planned 20) that has just started is far behind at cost 1, but it is not judged against them.
        Assert.False(asha.Report("large-1", 1, 2.0, plannedCost: 20).Stop);
        Assert.Equal(2, asha.RungSize(0, plannedCost: 2));
        Assert.Equal(1, asha.RungSize(0, plannedCost: 20));
        // A second large run that is worse than the first at equal cost is stopped.
        Assert.True(asha.Report("large-2", 1, 2.5, plannedCost: 25).Stop);
    }

    [Fact]
    public void NonFiniteReportsAreIgnored()
    {
        var asha = new CostAwareAsha(new EarlyStoppingOptions(1, 3), Direction.Minimize);
        Assert.False(asha.Report("a", double.NaN, 1).Stop);
        Assert.False(asha.Report("a", 5, double.PositiveInfinity).Stop);
        Assert.Equal(0, asha.RungSize(0));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(-1, 3)]
    [InlineData(1, 1.2)]
    [InlineData(double.NaN, 3)]
    public void BadOptions_AreRefused(double minCost, double reduction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CostAwareAsha(new EarlyStoppingOptions(minCost, reduction), Direction.Minimize));
}

public sealed class PartialObservationTests
{
    [Fact]
    public void AnEarlyStoppedRun_NeverEntersTheParetoFront_ButIsObserved()
    {
        var space = new Levain.Tuning.Spaces.SearchSpace([Levain.Tuning.Spaces.ParameterSpec.Linear("x", 0.0, -2, 2)]);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 1 });
        tuner.Observe(new Observation(new Dictionary<string, Levain.Tuning.Spaces.ParamValue> { ["x"] = 0.5 }, 1.0, 10.0));
        // Cheaper and better: it would dominate, but it is a curve cut short, not a run of x = -0.5.
        tuner.Observe(new Observation(new Dictionary<string, Levain.Tuning.Spaces.ParamValue> { ["x"] = -0.5 }, 0.5, 1.0, IsPartial: true));
        var front = tuner.GetParetoFront();
        Assert.Equal(1.0, Assert.Single(front.Points).Output);
        Assert.Equal(2, tuner.Observations.Count);
        Assert.True(tuner.Observations[1].IsPartial);
        // The flag survives a checkpoint.
        var restored = CarbsTuner.FromJson(tuner.ToJson());
        Assert.True(restored.Observations[1].IsPartial);
        Assert.Single(restored.GetParetoFront().Points);
    }

    [Fact]
    public void AStoppedRunObservedAsTheShorterRun_AnswersItsSuggestion_AndCountsAsAnEvaluatedPoint()
    {
        // The benchmark's rule when the run length is a parameter: a run suggested with t = 20 and stopped after 5 units
        // is observed as the complete run with t = 5 (exact when the curve does not depend on the planned length).
        var space = new Levain.Tuning.Spaces.SearchSpace(
        [
            Levain.Tuning.Spaces.ParameterSpec.Linear("x", 0.0, -2, 2),
            Levain.Tuning.Spaces.ParameterSpec.Log("t", center: 5, min: 1, max: 20, isInteger: true),
        ]);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 1, NumRandomSamples = 2 });
        tuner.Observe(new Observation(new Dictionary<string, Levain.Tuning.Spaces.ParamValue> { ["x"] = 1.0, ["t"] = 10 }, 1.0, 10.0));
        tuner.Observe(new Observation(new Dictionary<string, Levain.Tuning.Spaces.ParamValue> { ["x"] = -1.0, ["t"] = 3 }, 1.5, 3.0));
        var suggestion = Assert.Single(tuner.Suggest(1));
        var shortened = new Dictionary<string, Levain.Tuning.Spaces.ParamValue>(suggestion.Parameters) { ["t"] = 2 };
        tuner.Observe(new Observation(shortened, 0.2, 2.0, SuggestionId: suggestion.Id));
        Assert.Empty(tuner.Outstanding);
        // A complete observation: on the front (cheapest and best) and a candidate answer, unlike a partial one.
        Assert.Contains(tuner.GetParetoFront().Points, p => p.Output == 0.2 && p.Cost == 2.0);
        Assert.Equal(2.0, tuner.EstimateBest()!.Parameters["t"].Number);
    }
}
