using Levain.Tuning.Modeling;
using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>
/// Answer refinement (<see cref="CarbsOptions.AnswerRefinementShare"/>, docs/tuner.md): late in a study some picks take
/// small steps from the incumbent, judged by a model of the dear observations only, which also picks the answer among
/// the dear points.
/// </summary>
public sealed class AnswerRefinementTests
{
    /// <summary>x, y ∈ [0, 1] and fidelity s ∈ [0, 1].</summary>
    private static SearchSpace FidelitySpace() => new(
    [
        ParameterSpec.Linear("x", 0.5, 0, 1, scale: 0.5),
        ParameterSpec.Linear("y", 0.5, 0, 1, scale: 0.5),
        ParameterSpec.Linear("s", 0.5, 0, 1, scale: 0.5),
    ]);

    private static Dictionary<string, ParamValue> Point(double x, double y, double s) =>
        new(StringComparer.Ordinal) { ["x"] = x, ["y"] = y, ["s"] = s };

    /// <summary>(x − 0.3)² + (y − 0.6)² + 0.3(1 − s): the optimum is at full fidelity.</summary>
    private static double NoiseFree(double x, double y, double s) => ((x - 0.3) * (x - 0.3)) + ((y - 0.6) * (y - 0.6)) + (0.3 * (1 - s));

    private static double Cost(double s) => 0.1 + (s * s);

    /// <summary>The noise-free value plus one-sided noise |N(0, 1)|·2·(1 − s) that vanishes at full fidelity.</summary>
    private static double Observed(double x, double y, double s, Random noise)
    {
        var u1 = 1.0 - noise.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * noise.NextDouble());
        return NoiseFree(x, y, s) + (Math.Abs(normal) * 2 * (1 - s));
    }

    /// <summary>
    /// 40 cheap, noisy runs (s ≤ 0.3) anywhere, and 8 dear, noise-free runs (s = 0.95) on a ring around the optimum;
    /// one dear run (x = 0.33, y = 0.57) is clearly the best dear point.
    /// </summary>
    private static List<Observation> Observations()
    {
        var random = new Random(3);
        var observations = new List<Observation>();
        for (var i = 0; i < 40; i++)
        {
            double x = random.NextDouble(), y = random.NextDouble(), s = 0.3 * random.NextDouble();
            observations.Add(new Observation(Point(x, y, s), Observed(x, y, s, random), Cost(s)));
        }
        for (var k = 0; k < 7; k++)
        {
            var angle = 2 * Math.PI * k / 7;
            double x = 0.3 + (0.12 * Math.Cos(angle)), y = 0.6 + (0.12 * Math.Sin(angle));
            observations.Add(new Observation(Point(x, y, 0.95), NoiseFree(x, y, 0.95), Cost(0.95)));
        }
        observations.Add(new Observation(Point(0.33, 0.57, 0.95), NoiseFree(0.33, 0.57, 0.95), Cost(0.95)));
        return observations;
    }

    private static string BestDearKey(SearchSpace space) =>
        ObservationGroup.KeyOf(space, Point(0.33, 0.57, 0.95));

    private static BayesianProposer Proposer(CarbsOptions options, double spentFraction, int seed = 5, double targetCost = double.PositiveInfinity)
    {
        var proposer = BayesianProposer.TryCreate(FidelitySpace(), options, Observations(), [], new Dictionary<string, double[]>(), new Xoshiro256StarStar(seed), _ => { },
            spentFraction: spentFraction, targetCost: targetCost);
        Assert.NotNull(proposer);
        return proposer;
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());

    [Theory]
    [InlineData(0.4, 0.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.75, 0.5)]
    [InlineData(1.0, 1.0)]
    public void RefinementProbability_RampsFromHalfTheBudgetToTheShare(double spentFraction, double expected)
    {
        Assert.Equal(expected, BayesianProposer.RefinementProbability(1.0, 0.5, spentFraction), 12);
        Assert.Equal(0.5 * expected, BayesianProposer.RefinementProbability(0.5, 0.5, spentFraction), 12);
    }

    [Fact]
    public void Proposer_RefinementOn_DrawsCandidatesCloseAroundTheBestDearPoint()
    {
        var space = FidelitySpace();
        var proposer = Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1 }, spentFraction: 0.6);

        var incumbent = proposer.RefinementIncumbent;
        Assert.NotNull(incumbent);
        Assert.Equal(BestDearKey(space), incumbent.Value.Key);
        var refinement = proposer.RefinementCandidates().ToList();
        Assert.Equal(BayesianProposer.RefinementCandidatesPerDimension * 3, refinement.Count);
        // Radius 0.15 × (1 − 0.75 · 0.6) = 0.0825 basic units per coordinate: none beyond 5 of those in 3-D.
        Assert.All(refinement, c => Assert.True(Distance(c, incumbent.Value.XInBasic) < 5 * 0.0825, $"candidate {Distance(c, incumbent.Value.XInBasic)} from the incumbent"));
        Assert.Equal(100 * 3, proposer.CandidateCount - refinement.Count);
    }

    [Fact]
    public void Proposer_RefinementOffOrAtTheStartOrWithTooFewDearRuns_HasNoIncumbent()
    {
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 0, AnswerRefinementStart = 0.5 }, spentFraction: 0.6).RefinementIncumbent);
        Assert.Empty(Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 0, AnswerRefinementStart = 0.5 }, spentFraction: 0.6).RefinementCandidates());
        // Refinement begins at AnswerRefinementStart (here half the budget): before that nothing is fitted or drawn for it.
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, AnswerRefinementStart = 0.5, DearCostFraction = 0.5 }, spentFraction: 0).RefinementIncumbent);
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, AnswerRefinementStart = 0.5, DearCostFraction = 0.5 }, spentFraction: 0.5).RefinementIncumbent);
        Assert.Equal(
            Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 0, AnswerRefinementStart = 0.5 }, spentFraction: 0.45).Candidates(),
            Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, AnswerRefinementStart = 0.5, DearCostFraction = 0.5 }, spentFraction: 0.45).Candidates());

        // Four dear runs in a 3-D space are fewer than D + 2 = 5: no local model, no refinement.
        var fewDear = Observations().Where(o => o.Cost < 0.5).Concat(Observations().Where(o => o.Cost > 0.5).Take(4)).ToList();
        var proposer = BayesianProposer.TryCreate(FidelitySpace(), new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, AnswerRefinementStart = 0.5, DearCostFraction = 0.5 }, fewDear, [], new Dictionary<string, double[]>(),
            new Xoshiro256StarStar(5), _ => { }, spentFraction: 0.6);
        Assert.NotNull(proposer);
        Assert.Null(proposer.RefinementIncumbent);
    }

    [Fact]
    public void Proposer_EarlierRefinementStart_RefinesFromThere()
    {
        var options = new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, AnswerRefinementStart = 0.25 };

        Assert.Null(Proposer(options, spentFraction: 0.25).RefinementIncumbent);
        Assert.NotNull(Proposer(options, spentFraction: 0.3).RefinementIncumbent);
        Assert.Equal(0.5, BayesianProposer.RefinementProbability(1.0, 0.25, 0.625), 12);
        Assert.Equal(0.0, BayesianProposer.RefinementProbability(1.0, 0.25, 0.2), 12);
    }

    [Fact]
    public void DearModel_LowerDearCostFraction_TakesCheaperRunsIn()
    {
        var space = FidelitySpace();
        double[] Input(double[] x) => x;
        var half = DearOutputModel.TryFit(space, new CarbsOptions { DearCostFraction = 0.5 }, Observations(), Input);
        var wide = DearOutputModel.TryFit(space, new CarbsOptions { DearCostFraction = 0.05 }, Observations(), Input);

        Assert.NotNull(half);
        Assert.NotNull(wide);
        Assert.True(wide.Groups.Count > half.Groups.Count, $"{wide.Groups.Count} dear groups at 0.05 against {half.Groups.Count} at 0.5");
        Assert.True(wide.CheapestCost < half.CheapestCost);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)] // with global candidates in the pool, which come before the refinement candidates
    public void Next_FullShareAtTheEnd_StepsFromTheIncumbentAtTheDearCost(double globalShare)
    {
        var space = FidelitySpace();
        for (var seed = 1; seed <= 3; seed++)
        {
            var proposer = Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1, GlobalCandidateShare = globalShare }, spentFraction: 1.0, seed: seed);
            var incumbent = proposer.RefinementIncumbent!.Value;
            var refinementCount = proposer.RefinementCandidates().Count();
            Assert.True(refinementCount > 0);
            Assert.DoesNotContain(Enumerable.Range(proposer.CandidateCount - refinementCount, refinementCount), proposer.IsGlobal);
            Assert.Equal(globalShare > 0, Enumerable.Range(0, proposer.CandidateCount).Any(proposer.IsGlobal));

            var pick = proposer.Next(double.PositiveInfinity);

            Assert.NotNull(pick);
            Assert.Equal(incumbent.Key, pick.OriginKey);
            // Radius 0.15 × 0.25 at the end of the budget.
            Assert.True(Distance(pick.XInBasic, incumbent.XInBasic) < 0.2, $"seed {seed}: pick {Distance(pick.XInBasic, incumbent.XInBasic)} from the incumbent");
            Assert.InRange(space.FromBasic(pick.XInBasic)["s"].Number, 0.8, 1.0);
        }
    }

    [Fact]
    public void Next_CostLimitBelowTheDearRuns_MakesAnOrdinaryAffordablePick()
    {
        // The tuner passes the cost limit as the target cost too, so ordinary candidates are drawn around affordable points.
        var proposer = Proposer(new CarbsOptions { Seed = 1, AnswerRefinementShare = 1 }, spentFraction: 1.0, targetCost: 0.6);
        var incumbent = proposer.RefinementIncumbent!.Value;

        var pick = proposer.Next(0.6);

        Assert.NotNull(pick);
        Assert.True(pick.Terms.CostUpperQuantile <= 0.6);
        Assert.NotEqual(incumbent.Key, pick.OriginKey);
    }

    [Fact]
    public void EstimateBest_RefinementOn_AnswersTheBestDearPointDespiteTheNoisyCheapRuns()
    {
        var space = FidelitySpace();
        var on = new CarbsTuner(space, new CarbsOptions { Seed = 1, AnswerRefinementShare = 0.5 });
        var off = new CarbsTuner(space, new CarbsOptions { Seed = 1, AnswerRefinementShare = 0 });
        // Cheap runs crowd around the best dear point, their one-sided noise making it look poor to the global model.
        var random = new Random(8);
        var crowd = Enumerable.Range(0, 15).Select(_ =>
        {
            double x = 0.33 + (0.04 * (random.NextDouble() - 0.5)), y = 0.57 + (0.04 * (random.NextDouble() - 0.5)), s = 0.1;
            return new Observation(Point(x, y, s), Observed(x, y, s, random), Cost(s));
        });
        foreach (var observation in Observations().Concat(crowd))
        {
            on.Observe(observation);
            off.Observe(observation);
        }

        var answer = on.EstimateBest();
        var global = off.EstimateBest();

        Assert.NotNull(answer);
        Assert.NotNull(global);
        Assert.Equal(BestDearKey(space), ObservationGroup.KeyOf(space, answer.Parameters));
        Assert.Equal(NoiseFree(0.33, 0.57, 0.95), answer.ObservedOutput, 12);
        Assert.InRange(answer.PredictedOutput!.Value, answer.Lower!.Value, answer.Upper!.Value);
        // The global model, one noise level for all runs, cannot tell the dear points apart.
        Assert.True(BestDearKey(space) != ObservationGroup.KeyOf(space, global.Parameters), $"global answer {ObservationGroup.KeyOf(space, global.Parameters)}");
    }

    [Fact]
    public void FromJson_RefinementActive_RestoredTunerMakesIdenticalNextSuggestions()
    {
        var space = FidelitySpace();
        var clock = new ManualTimeProvider(TunerFixtures.Epoch);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 2, AnswerRefinementShare = 1 }, clock);
        const double Budget = 12;
        var spent = 0.0;
        var noise = new Random(4);
        var refined = 0;
        while (spent < 0.8 * Budget)
        {
            var suggestion = tuner.Suggest(1, new SuggestionBudget(Budget - spent, spent / Budget))[0];
            var p = suggestion.Parameters;
            double x = p["x"].Number, y = p["y"].Number, s = p["s"].Number;
            tuner.Observe(new Observation(p, Observed(x, y, s, noise), Cost(s), SuggestionId: suggestion.Id));
            spent += Cost(s);
            // Ordinary picks before the end have β = 0.5 · (1 − spent fraction) > 0; refinement picks β = 0.
            refined += suggestion.Phase == SuggestionPhase.Bayesian && suggestion.Terms is { ExplorationBias: 0 } ? 1 : 0;
        }
        var json = tuner.ToJson();
        // The dear model's θ is kept in the state (warm start, refit schedule); asking for the answer reads it and
        // changes nothing.
        Assert.Contains($"\"{DearOutputModel.StoreName}\"", json, StringComparison.Ordinal);
        Assert.NotNull(tuner.EstimateBest());
        Assert.Equal(json, tuner.ToJson());
        var restored = CarbsTuner.FromJson(json, clock);
        var budget = new SuggestionBudget(Budget - spent, spent / Budget);

        var expected = tuner.Suggest(2, budget);
        var actual = restored.Suggest(2, budget);

        Assert.True(refined > 0, "no refinement pick in the study");
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            TunerFixtures.AssertSameSuggestion(expected[i], actual[i]);
        }
        Assert.Equal(tuner.ToJson(), restored.ToJson());
    }

    [Fact]
    public void DearOutputModel_ManyRunsOfOneCost_FitsTheFirstMaxFitPointsOnly()
    {
        var space = FidelitySpace();
        var random = new Random(6);
        var observations = Enumerable.Range(0, BayesianProposer.MaxFitPoints + 44).Select(i =>
        {
            double x = random.NextDouble(), y = random.NextDouble();
            return new Observation(Point(x, y, 0.5), NoiseFree(x, y, 0.5), i < 10 ? 0.9 : 1.0);
        }).ToList();
        var center = space.CenterInBasic;

        var model = DearOutputModel.TryFit(space, new CarbsOptions(), observations, x => BayesianProposer.CenterContinuous(space, center, x));

        Assert.NotNull(model);
        Assert.Equal(BayesianProposer.MaxFitPoints, model.Model.Count);
        // The dearest runs (cost 1) first come first; the ten cheaper ones and the last 34 are left out.
        Assert.Equal(observations.Skip(10).Take(BayesianProposer.MaxFitPoints).Select(o => ObservationGroup.KeyOf(space, o.Parameters)), model.Groups.Select(g => g.Key));
        Assert.Equal(1.0, model.CheapestCost);
    }

    [Theory]
    [InlineData(-0.1, 0.15)]
    [InlineData(1.5, 0.15)]
    [InlineData(0.5, 0)]
    [InlineData(0.5, double.NaN)]
    [InlineData(0.5, 0.15, 1.0, 0.25)]
    [InlineData(0.5, 0.15, -0.1, 0.25)]
    [InlineData(0.5, 0.15, 0.25, 0.0)]
    [InlineData(0.5, 0.15, 0.25, 1.5)]
    public void Constructor_RefinementOptionsOutOfRange_Throw(double share, double radius, double start = 0.25, double dearFraction = 0.25)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CarbsTuner(FidelitySpace(), new CarbsOptions
        {
            AnswerRefinementShare = share, AnswerRefinementRadius = radius, AnswerRefinementStart = start, DearCostFraction = dearFraction,
        }));
        Assert.True(ex.Message.Contains("AnswerRefinement", StringComparison.Ordinal) || ex.Message.Contains("DearCostFraction", StringComparison.Ordinal), ex.Message);
    }
}
