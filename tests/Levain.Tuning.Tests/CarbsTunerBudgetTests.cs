using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>Budget awareness: the budget left is a hard cap on the upper cost quantile; exploration anneals with spending.</summary>
public sealed class CarbsTunerBudgetTests
{
    private static (CarbsTuner Tuner, List<string> Logs) Driven(int steps, CarbsOptions? options = null)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), options ?? new CarbsOptions { Seed = 11, ResampleFrequency = 0 });
        var logs = new List<string>();
        tuner.Logged += (_, line) => logs.Add(line);
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, steps);
        return (tuner, logs);
    }

    [Fact]
    public void Suggest_WithBudgetLeft_NeverSuggestsAPointWhoseUpperCostQuantileExceedsIt()
    {
        // cost = 3 + x on x ∈ [−2, 2]: a budget left of 2.2 allows only x ≤ −0.8, far from the optimum x = 0.6.
        var (tuner, _) = Driven(20);
        var batch = tuner.Suggest(3, new SuggestionBudget(CostLeft: 2.2, SpentFraction: 0.9));
        Assert.NotEmpty(batch);
        foreach (var s in batch.Where(s => s.Phase == SuggestionPhase.Bayesian))
        {
            Assert.True(s.Terms!.CostUpperQuantile <= 2.2, $"upper quantile {s.Terms.CostUpperQuantile}");
        }
        // Outstanding suggestions use up the budget left: three points of cost ≥ 1 cannot all fit into 2.2.
        Assert.True(batch.Count <= 2, $"{batch.Count} suggestions for a budget left of 2.2");
        Assert.All(batch, s => Assert.True(TunerFixtures.Quadratic(s.Parameters).Cost <= 2.2 + 0.02));
    }

    [Fact]
    public void Suggest_BudgetLeftBelowTheCheapestPoint_ReturnsNothingAndSaysWhy()
    {
        var (tuner, logs) = Driven(12);
        Assert.Empty(tuner.Suggest(1, new SuggestionBudget(CostLeft: 0.5, SpentFraction: 0.99)));
        Assert.Contains(logs, l => l.Contains("budget left", StringComparison.Ordinal) && l.Contains("no suggestion", StringComparison.Ordinal));
        // Without a budget the same tuner still suggests.
        Assert.Single(tuner.Suggest(1));
    }

    [Fact]
    public void Suggest_RandomPhaseWithBudget_ChecksDrawsAgainstTheCostModel()
    {
        // The 90 % quantile: with three observations the 99 % default leaves no draw under this tight limit.
        var (tuner, _) = Driven(3, new CarbsOptions { Seed = 4, NumRandomSamples = 30, ResampleFrequency = 0, CostQuantile = 0.9 });
        // A limit a little above the cheapest point seen: reachable, but most draws around the center are too dear.
        var limit = tuner.Observations.Min(o => o.Cost) + 0.3;
        for (var i = 0; i < 10; i++)
        {
            var batch = tuner.Suggest(1, new SuggestionBudget(CostLeft: limit));
            Assert.Single(batch);
            Assert.Equal(SuggestionPhase.Random, batch[0].Phase);
            var (output, cost) = TunerFixtures.Quadratic(batch[0].Parameters);
            Assert.True(cost <= limit + 0.05, $"random-phase point of cost {cost} for a budget left of {limit}");
            tuner.Observe(new Observation(batch[0].Parameters, output, cost, SuggestionId: batch[0].Id));
        }
    }

    [Fact]
    public void Suggest_ExplorationBias_AnnealsWithTheSpentFraction()
    {
        // Ordinary picks (a refinement pick, late in the budget, has no exploration bias).
        var (tuner, _) = Driven(10, new CarbsOptions { Seed = 2, ResampleFrequency = 0, ExplorationBias = 0.8, AnswerRefinementShare = 0 });
        var early = tuner.Suggest(1, new SuggestionBudget(SpentFraction: 0.0))[0];
        var late = tuner.Suggest(1, new SuggestionBudget(SpentFraction: 0.75))[0];
        Assert.Equal(0.8, early.Terms!.ExplorationBias, 12);
        Assert.Equal(0.2, late.Terms!.ExplorationBias, 12);
    }

    [Fact]
    public void Suggest_TrustRegions_ShrinkAfterFailuresAndSurviveJson()
    {
        var (tuner, _) = Driven(30, new CarbsOptions { Seed = 9, ResampleFrequency = 0 });
        var regions = tuner.TrustRegions;
        Assert.NotEmpty(regions);
        Assert.Contains(regions.Values, r => Math.Abs(r.Radius - tuner.Options.SearchRadius) > 1e-12 || r.Restarts > 0 || r.Successes > 0);
        var restored = CarbsTuner.FromJson(tuner.ToJson());
        Assert.Equal(regions.OrderBy(kv => kv.Key), restored.TrustRegions.OrderBy(kv => kv.Key));
        var budget = new SuggestionBudget(CostLeft: 40, SpentFraction: 0.5);
        TunerFixtures.AssertSameSuggestion(tuner.Suggest(1, budget)[0], restored.Suggest(1, budget)[0]);
    }

    [Fact]
    public void TrustRegion_GrowsOnSuccessShrinksOnRepeatedFailureAndRestarts()
    {
        var region = Levain.Tuning.Modeling.TrustRegion.Initial(0.3);
        Assert.Equal(0.45, region.After(true, 0.3).Radius, 12);
        var once = region.After(false, 0.3);
        Assert.Equal(0.3, once.Radius, 12);
        Assert.Equal(0.15, once.After(false, 0.3).Radius, 12);
        var shrinking = region;
        for (var i = 0; i < 40 && shrinking.Restarts == 0; i++)
        {
            shrinking = shrinking.After(false, 0.3);
        }
        Assert.Equal(1, shrinking.Restarts);
        Assert.Equal(0.3, shrinking.Radius, 12);
    }
}
