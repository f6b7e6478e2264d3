using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>The tuner end to end on spaces that stress the categorical kernel, the simplex encoding and the cost cap.</summary>
public sealed class CarbsTunerSpacesTests
{
    [Fact]
    public void Suggest_CategoricalOnlySpace_FindsTheBestCombination()
    {
        var space = new SearchSpace([ParameterSpec.Categorical("a", ["p", "q", "r", "s"]), ParameterSpec.Boolean("b")]);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 3, CategoricalMutationProbability = 0.6, ResampleFrequency = 0 });
        static (double, double) Problem(IReadOnlyDictionary<string, ParamValue> p) =>
            ((p["a"].Choice == "r" ? 0 : 1) + (p["b"].Flag ? 0 : 0.5), 1);
        TunerFixtures.Drive(tuner, Problem, 25);
        Assert.Contains(tuner.Observations, o => o.Output == 0);
        Assert.All(tuner.Suggest(3), s => space.Validate(s.Parameters));
    }

    [Fact]
    public void Suggest_SimplexSpace_MovesWeightTowardTheBetterComponent()
    {
        var space = new SearchSpace([ParameterSpec.Simplex("mix", ["web", "code", "math"])]);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 5, ResampleFrequency = 0 });
        // Loss falls as the code share rises toward 0.8.
        static (double, double) Problem(IReadOnlyDictionary<string, ParamValue> p) => (Math.Abs(p["mix"].Weights[1] - 0.8), 1);
        TunerFixtures.Drive(tuner, Problem, 30);
        var best = tuner.Observations.MinBy(o => o.Output)!;
        Assert.True(best.Parameters["mix"].Weights[1] > 0.55, $"best code share {best.Parameters["mix"].Weights[1]:F3}");
        Assert.All(tuner.Observations, o => Assert.Equal(1.0, o.Parameters["mix"].Weights.Sum(), 1e-9));
    }

    [Fact]
    public void Suggest_WithCostCap_IsAHardConstraintOnTheUpperCostQuantile()
    {
        var space = TunerFixtures.QuadraticSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 6, ResampleFrequency = 0, MaxSuggestionCost = 2.5 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 25);
        var bayesian = tuner.Suggest(8).Where(s => s.Phase == SuggestionPhase.Bayesian).ToList();
        Assert.NotEmpty(bayesian);
        Assert.All(bayesian, s => Assert.InRange(s.Terms!.ProbabilityWithinCostCap, 0.9 - 1e-9, 1.0));
        Assert.All(bayesian, s => Assert.True(s.Terms!.CostUpperQuantile <= 2.5, $"upper quantile {s.Terms.CostUpperQuantile}"));
        // cost = 3 + x, so the cap 2.5 means x ≤ −0.5; the optimum (x = 0.6) lies beyond it, yet no point crosses the cap.
        Assert.All(bayesian, s => Assert.True(TunerFixtures.Quadratic(s.Parameters).Cost <= 2.5 + 0.02, $"cost {TunerFixtures.Quadratic(s.Parameters).Cost}"));
    }

    [Fact]
    public void Suggest_OutstandingFantasies_ChangeTheNextPoint()
    {
        var space = TunerFixtures.QuadraticSpace();
        CarbsTuner NewTuner()
        {
            var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 8, ResampleFrequency = 0, OutstandingEstimator = OutstandingEstimator.Mean });
            TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 10);
            return tuner;
        }
        // Same state except that one tuner still has its first suggestion outstanding and the other forgot it; the
        // mean estimator draws no random numbers, so any difference comes from the fantasy alone.
        var busy = NewTuner();
        var forgetful = NewTuner();
        var first = busy.Suggest()[0];
        var same = forgetful.Suggest()[0];
        TunerFixtures.AssertSameSuggestion(first, same);
        Assert.True(forgetful.Forget(same.Id));
        var withFantasy = busy.Suggest()[0];
        var withoutFantasy = forgetful.Suggest()[0];
        Assert.Equal(SuggestionPhase.Bayesian, withFantasy.Phase);
        Assert.NotEqual(
            (withoutFantasy.Parameters["x"].Number, withoutFantasy.Parameters["y"].Number),
            (withFantasy.Parameters["x"].Number, withFantasy.Parameters["y"].Number));
    }
}
