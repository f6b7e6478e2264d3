using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>
/// The projected target origin (<see cref="CarbsOptions.TargetProjectionShare"/>, docs/tuner.md): on a fidelity problem
/// whose best points are cheap, the dearest affordable Pareto point is moved along the cost model's gradient to the
/// dearest observed cost, and candidates are drawn around that projection.
/// </summary>
public sealed class TargetProjectionTests
{
    /// <summary>x ∈ [−2, 2], fidelity s ∈ [0, 1]; cost 5 + s (only s); the best points are cheap by construction.</summary>
    private static SearchSpace FidelitySpace() => new(
    [
        ParameterSpec.Linear("x", 0, -2, 2),
        ParameterSpec.Linear("s", 0.5, 0, 1, scale: 0.5),
    ]);

    private static Dictionary<string, ParamValue> Point(double x, double s) =>
        new(StringComparer.Ordinal) { ["x"] = x, ["s"] = s };

    /// <summary>
    /// Observations of (x − 0.5)² + 0.2(1 − s), cost 5 + s, on a grid where the points near x = 0.5 have low
    /// fidelity and the high-fidelity ones are far from it: the best observed point is cheap (s = 0.2).
    /// </summary>
    private static List<Observation> CheapBestObservations()
    {
        var observations = new List<Observation>();
        foreach (var x in new[] { -1.6, -1.0, 1.4, 1.9 })
        {
            foreach (var s in new[] { 0.1, 0.5, 0.95 })
            {
                observations.Add(new Observation(Point(x, s), ((x - 0.5) * (x - 0.5)) + (0.2 * (1 - s)), 5 + s));
            }
        }
        foreach (var x in new[] { 0.3, 0.45, 0.6, 0.7 })
        {
            observations.Add(new Observation(Point(x, 0.2), ((x - 0.5) * (x - 0.5)) + 0.16, 5.2));
        }
        return observations;
    }

    private static BayesianProposer Proposer(CarbsOptions options, IReadOnlyList<Observation> observations, double spentFraction, double targetCost = double.PositiveInfinity)
    {
        var proposer = BayesianProposer.TryCreate(FidelitySpace(), options, observations, [], new Dictionary<string, double[]>(), new Xoshiro256StarStar(5), _ => { },
            spentFraction: spentFraction, targetCost: targetCost);
        Assert.NotNull(proposer);
        return proposer;
    }

    [Fact]
    public void ProjectedOrigin_CheapBestPoint_KeepsItsParametersAndReachesTheDearestObservedCost()
    {
        var observations = CheapBestObservations();
        var space = FidelitySpace();

        var projected = Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0.5, TargetProjectionStep = 1 }, observations, 0.8).ProjectedOrigin;

        Assert.NotNull(projected);
        var p = space.FromBasic(projected.Value.XInBasic);
        // The best point is x = 0.45 or 0.6 at s = 0.2; only s drives the cost, so x stays and s rises toward 0.95.
        Assert.InRange(p["x"].Number, 0.4, 0.65);
        Assert.InRange(p["s"].Number, 0.85, 1.0);
        Assert.InRange(projected.Value.PredictedCost, 5.85, 6.0);
        var source = observations.Where(o => o.Cost < 5.3).MinBy(o => o.Output)!;
        Assert.Equal(ObservationGroupKey(space, source.Parameters), projected.Value.SourceKey);
    }

    [Fact]
    public void Candidates_WithProjection_TestTheBestParametersAtTheTargetCost()
    {
        var observations = CheapBestObservations();
        var space = FidelitySpace();
        static int NearBestAtHighFidelity(SearchSpace space, BayesianProposer proposer) =>
            proposer.Candidates().Count(c => space.FromBasic(c) is var p && Math.Abs(p["x"].Number - 0.5) < 0.25 && p["s"].Number > 0.75);

        var with = NearBestAtHighFidelity(space, Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0.5, TargetProjectionStep = 1 }, observations, 0.8));
        var without = NearBestAtHighFidelity(space, Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0 }, observations, 0.8));

        Assert.True(with >= 30, $"{with} of 200 candidates near x = 0.5 at s > 0.75 with the projection");
        Assert.True(without <= 2, $"{without} of 200 candidates near x = 0.5 at s > 0.75 without it");
    }

    [Fact]
    public void ProjectedOrigin_HalfStep_ClimbsHalfTheLogCostToTheTarget()
    {
        var full = Proposer(new CarbsOptions { Seed = 1, TargetProjectionStep = 1 }, CheapBestObservations(), 0.8).ProjectedOrigin;
        var half = Proposer(new CarbsOptions { Seed = 1 }, CheapBestObservations(), 0.8).ProjectedOrigin;

        Assert.NotNull(full);
        Assert.NotNull(half);
        // Default step 0.5: from cost 5.2 half way in ln cost toward 5.95, i.e. about √(5.2 · 5.95) ≈ 5.56.
        Assert.InRange(half.Value.PredictedCost, 5.45, 5.67);
        Assert.True(full.Value.PredictedCost > half.Value.PredictedCost + 0.2);
        Assert.Equal(full.Value.SourceKey, half.Value.SourceKey);
    }

    [Fact]
    public void ProjectedOrigin_CostLimit_StaysAffordable()
    {
        var projected = Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0.5, TargetProjectionStep = 1 }, CheapBestObservations(), 0.8, targetCost: 5.6).ProjectedOrigin;

        Assert.NotNull(projected);
        Assert.InRange(projected.Value.PredictedCost, 5.3, 5.6);
    }

    [Fact]
    public void ProjectedOrigin_OffAtTheStartWhenDisabledOrWhenTheBestPointIsTheDearest()
    {
        var observations = CheapBestObservations();
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0 }, observations, 0.8).ProjectedOrigin);
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0.5, TargetProjectionStep = 1 }, observations, 0.0).ProjectedOrigin);

        // Fidelity that buys more than x costs: the best point is the dearest, nothing to project.
        var dearBest = observations.Select(o => o with { Output = (0.1 * (o.Parameters["x"].Number - 0.5) * (o.Parameters["x"].Number - 0.5)) + (2 * (1 - o.Parameters["s"].Number)) }).ToList();
        Assert.Null(Proposer(new CarbsOptions { Seed = 1, TargetProjectionShare = 0.5, TargetProjectionStep = 1 }, dearBest, 0.8).ProjectedOrigin);
    }

    [Fact]
    public void Suggest_AugmentedFidelityStudy_AnswersAtHigherFidelityWithTheProjection()
    {
        // A budgeted study of (x − 0.5)² + 0.2(1 − s) at cost 5 + s: without the projection the answer stays cheap.
        static double AnswerFidelity(CarbsOptions options)
        {
            var space = FidelitySpace();
            var tuner = new CarbsTuner(space, options);
            const double budget = 200;
            var spent = 0.0;
            while (spent < budget)
            {
                var suggestion = tuner.Suggest(1, new SuggestionBudget(budget - spent, spent / budget));
                if (suggestion.Count == 0)
                {
                    break;
                }
                var p = suggestion[0].Parameters;
                double x = p["x"].Number, s = p["s"].Number;
                tuner.Observe(new Observation(p, ((x - 0.5) * (x - 0.5)) + (0.2 * (1 - s)), 5 + s, SuggestionId: suggestion[0].Id));
                spent += 5 + s;
            }
            return tuner.EstimateBest()!.Parameters["s"].Number;
        }

        var seeds = new[] { 1, 2, 3 };
        // Answer refinement off in both: it also lifts the answer's fidelity late in the study.
        var with = seeds.Select(seed => AnswerFidelity(new CarbsOptions { Seed = seed, AnswerRefinementShare = 0 })).Order().ElementAt(1);
        var without = seeds.Select(seed => AnswerFidelity(new CarbsOptions { Seed = seed, TargetProjectionShare = 0, AnswerRefinementShare = 0 })).Order().ElementAt(1);

        Assert.True(with > 0.9, $"median answer fidelity {with} with the projection, {without} without");
        Assert.True(with > without, $"median answer fidelity {with} with the projection, {without} without");
    }

    private static string ObservationGroupKey(SearchSpace space, IReadOnlyDictionary<string, ParamValue> parameters) =>
        Levain.Tuning.Pareto.ObservationGroup.KeyOf(space, parameters);
}
