using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>
/// The late-study focus of docs/tuner.md: origin radii anneal with the budget spent, origins concentrate at the target
/// cost with a width relative to the front's cost span, and the answer is the best predicted evaluated point.
/// </summary>
public sealed class CarbsTunerSearchFocusTests
{
    private static List<Observation> QuadraticObservations(int count, int seed)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = seed, ResampleFrequency = 0 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, count);
        return [.. tuner.Observations];
    }

    private static BayesianProposer Proposer(CarbsOptions options, IReadOnlyList<Observation> observations, double spentFraction)
    {
        var proposer = BayesianProposer.TryCreate(TunerFixtures.QuadraticSpace(), options, observations, [], new Dictionary<string, double[]>(), new Xoshiro256StarStar(5), _ => { },
            spentFraction: spentFraction);
        Assert.NotNull(proposer);
        return proposer;
    }

    [Fact]
    public void Candidates_RadiusAnnealing_ShrinksTheirSpreadAroundOriginsAsTheBudgetIsSpent()
    {
        var observations = QuadraticObservations(16, 3);
        var options = new CarbsOptions { Seed = 3, RadiusAnnealing = 0.75 };

        var early = Proposer(options, observations, 0.0).CandidateOrigins().Average(c => c.Distance);
        var late = Proposer(options, observations, 0.8).CandidateOrigins().Average(c => c.Distance);
        var unannealed = Proposer(options with { RadiusAnnealing = 0 }, observations, 0.8).CandidateOrigins().Average(c => c.Distance);

        // Radius × (1 − 0.75 · 0.8) = 0.4 × radius; bounds clip the wide draws a little, so the ratio is near, not at, 0.4.
        Assert.InRange(late / early, 0.3, 0.55);
        Assert.InRange(unannealed / early, 0.8, 1.25);
    }

    [Fact]
    public void Candidates_LateInTheStudy_StartAtTheDearestAffordableFrontPointMoreOften()
    {
        var observations = QuadraticObservations(20, 7);
        // The origin weights alone: the projected target origin (TargetProjectionTests) would take half the late draws.
        var options = new CarbsOptions { Seed = 7, TargetProjectionShare = 0 };
        var frontSize = new CarbsTuner(TunerFixtures.QuadraticSpace(), options).ImportAndFront(observations);
        Assert.True(frontSize >= 3, $"front of {frontSize} points");

        var early = Proposer(options, observations, 0.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);
        var late = Proposer(options, observations, 1.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);

        Assert.InRange(early, 0.5 / frontSize, 2.0 / frontSize);  // uniform origins at the start
        Assert.True(late > 2 * early, $"share from the dearest front point: {late} late, {early} early (front of {frontSize})");
    }

    [Fact]
    public void Candidates_TargetShare_GrowsAsTheSquareRootOfTheSpentFraction()
    {
        var observations = QuadraticObservations(20, 7);
        var quarter = Proposer(new CarbsOptions { Seed = 7 }, observations, 0.25).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);
        var linear = Proposer(new CarbsOptions { Seed = 7, TargetOriginPower = 1.0 }, observations, 0.25).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);

        Assert.True(quarter > linear, $"share {quarter} with f^0.5 vs {linear} with f");
    }

    [Fact]
    public void Candidates_LateMinParetoCostFraction_DropsTheCheapEndOfTheFrontAsTheBudgetIsSpent()
    {
        var observations = QuadraticObservations(20, 7);
        var options = new CarbsOptions { Seed = 7, LateMinParetoCostFraction = 0.9 };

        var early = Proposer(options, observations, 0.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);
        var fixedLate = Proposer(options with { LateMinParetoCostFraction = null }, observations, 1.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);
        var late = Proposer(options, observations, 1.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0);

        // Starting the front at the 90 % cost quantile leaves fewer, dearer origins: the dearest is chosen more often.
        Assert.Equal(early, Proposer(options with { LateMinParetoCostFraction = null }, observations, 0.0).CandidateOrigins().Average(c => c.FromDearest ? 1.0 : 0.0));
        Assert.True(late > fixedLate, $"share from the dearest front point late: {late} with the late fraction, {fixedLate} without");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EstimateBest_NoisyObservations_IsAnEvaluatedPointNoWorseThanTheBestObservation(int seed)
    {
        // A bowl observed with noise as large as the spread of good points: the best raw observation is a selected
        // extreme (often lucky); the best predicted point is at least as good in truth.
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = seed });
        var noise = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal) { ["x"] = -1.8 + (3.6 * noise.NextDouble()), ["y"] = -1.8 + (3.6 * noise.NextDouble()) };
            var (output, cost) = TunerFixtures.Quadratic(point);
            tuner.Observe(new Observation(point, output + (1.0 * (noise.NextDouble() - 0.5)), cost));
        }

        var best = tuner.EstimateBest();

        Assert.NotNull(best);
        Assert.Contains(tuner.Observations, o => o.Parameters["x"].Number == best.Parameters["x"].Number && o.Parameters["y"].Number == best.Parameters["y"].Number);
        var bestObserved = tuner.Observations.MinBy(o => o.Output)!;
        var answerTruth = TunerFixtures.Quadratic(best.Parameters).Output;
        Assert.True(answerTruth <= TunerFixtures.Quadratic(bestObserved.Parameters).Output + 1e-12,
            $"answer truth {answerTruth}, best observation's truth {TunerFixtures.Quadratic(bestObserved.Parameters).Output}");
        Assert.True(best.Lower <= best.PredictedOutput && best.PredictedOutput <= best.Upper);
    }

    [Fact]
    public void EstimateBest_FewerThanTwoSuccesses_IsNull()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 1 });
        Assert.Null(tuner.EstimateBest());
        var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal) { ["x"] = 0.0, ["y"] = 0.0 };
        tuner.Observe(new Observation(point, 1.0, 2.0));
        Assert.Null(tuner.EstimateBest());
    }
}

internal static class FrontTestExtensions
{
    /// <summary>Observes the observations and returns the size of the Pareto front.</summary>
    public static int ImportAndFront(this CarbsTuner tuner, IEnumerable<Observation> observations)
    {
        foreach (var o in observations)
        {
            tuner.Observe(o with { SuggestionId = null });
        }
        return tuner.GetParetoFront().Points.Count;
    }
}
