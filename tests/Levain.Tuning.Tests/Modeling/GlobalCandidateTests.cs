using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Modeling;

/// <summary>Global candidates (<see cref="CarbsOptions.GlobalCandidateShare"/>): a share of the pool drawn from the whole box.</summary>
public sealed class GlobalCandidateTests
{
    private static List<Observation> QuadraticObservations(int count, int seed)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = seed, ResampleFrequency = 0 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, count);
        return [.. tuner.Observations];
    }

    private static BayesianProposer Proposer(
        SearchSpace space, CarbsOptions options, IReadOnlyList<Observation> observations, double spentFraction = 0.0, int rngSeed = 5, double? radius = null)
    {
        var proposer = BayesianProposer.TryCreate(space, options, observations, [], new Dictionary<string, double[]>(), new Xoshiro256StarStar(rngSeed), _ => { },
            radiusOf: radius is { } r ? _ => r : null, spentFraction: spentFraction);
        Assert.NotNull(proposer);
        return proposer;
    }

    /// <summary>Distance (basic units) from each candidate to the nearest observed point, and whether it is global.</summary>
    private static List<(double Nearest, bool Global)> Spread(BayesianProposer proposer, SearchSpace space, IReadOnlyList<Observation> observations)
    {
        var observed = observations.Select(o => space.ToBasic(o.Parameters)).ToList();
        return [.. proposer.Candidates().Select((c, j) => (observed.Min(x => Math.Sqrt(x.Zip(c, (a, b) => (a - b) * (a - b)).Sum())), proposer.IsGlobal(j)))];
    }

    [Fact]
    public void Candidates_GlobalShare_PutsThatShareOutsideEveryOriginsNeighbourhood()
    {
        var space = TunerFixtures.QuadraticSpace();
        var observations = QuadraticObservations(16, 3);
        var off = Spread(Proposer(space, new CarbsOptions { Seed = 3 }, observations), space, observations);
        var proposer = Proposer(space, new CarbsOptions { Seed = 3, GlobalCandidateShare = 0.3 }, observations);
        var on = Spread(proposer, space, observations);

        Assert.Equal(off.Count, on.Count);
        Assert.Equal((int)Math.Round(0.3 * on.Count), on.Count(c => c.Global));
        Assert.DoesNotContain(off, c => c.Global);
        // Search radius 0.3: a local draw lies more than 3.3 radii from every observed point with probability ≈ e^−5.4.
        var farOff = off.Count(c => c.Nearest > 1.0);
        var farOn = on.Count(c => c.Nearest > 1.0);
        Assert.True(farOff <= 2, $"{farOff} far local candidates");
        Assert.True(farOn >= on.Count / 10, $"{farOn} of {on.Count} candidates far from every observed point with a global share of 0.3");
        Assert.All(proposer.Candidates(), c => Assert.True(space.IsWithinBounds(c)));
    }

    [Fact]
    public void Candidates_Global_AreALatinHypercubeOverTheBox()
    {
        var space = TunerFixtures.QuadraticSpace();
        var observations = QuadraticObservations(16, 3);
        var proposer = Proposer(space, new CarbsOptions { Seed = 3, GlobalCandidateShare = 0.5 }, observations);
        var global = proposer.Candidates().Where((_, j) => proposer.IsGlobal(j)).ToList();
        var box = space.ContinuousBoxInBasic(1.8);
        Assert.Equal([(-2.0, 2.0), (-2.0, 2.0)], box);
        for (var k = 0; k < 2; k++)
        {
            // Each of the n equal strata of each coordinate holds exactly one global candidate.
            var strata = global.Select(c => (int)Math.Floor((c[k] + 2.0) / 4.0 * global.Count)).Order();
            Assert.Equal(Enumerable.Range(0, global.Count), strata);
        }
    }

    [Fact]
    public void Candidates_GlobalShareAnnealing_ShrinksTheShareAsTheBudgetIsSpent()
    {
        var space = TunerFixtures.QuadraticSpace();
        var observations = QuadraticObservations(16, 3);
        var options = new CarbsOptions { Seed = 3, GlobalCandidateShare = 0.4, GlobalCandidateAnnealing = 1, AnswerRefinementStart = 0.5 };
        var early = Proposer(space, options, observations, 0.0);
        var half = Proposer(space, options, observations, 0.5);
        var late = Proposer(space, options, observations, 1.0);

        Assert.Equal((0.4, 0.2, 0.0), (early.GlobalShare, half.GlobalShare, late.GlobalShare));
        Assert.DoesNotContain(Enumerable.Range(0, late.CandidateCount), late.IsGlobal);
        Assert.Equal((int)Math.Round(0.2 * half.CandidateCount), Enumerable.Range(0, half.CandidateCount).Count(half.IsGlobal));
    }

    [Theory]
    [InlineData(1.0, 0.0, "CarbsOptions.GlobalCandidateShare must lie in [0, 1)")]
    [InlineData(-0.1, 0.0, "CarbsOptions.GlobalCandidateShare must lie in [0, 1)")]
    [InlineData(double.NaN, 0.0, "CarbsOptions.GlobalCandidateShare must lie in [0, 1)")]
    [InlineData(0.2, 1.5, "CarbsOptions.GlobalCandidateAnnealing must lie in [0, 1]")]
    public void Options_OutOfRange_AreRefused(double share, double annealing, string message)
    {
        var options = new CarbsOptions { GlobalCandidateShare = share, GlobalCandidateAnnealing = annealing };
        var error = Assert.Throws<ArgumentException>(() => new CarbsTuner(TunerFixtures.QuadraticSpace(), options));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidates_ZeroShare_AreTheLocalCandidatesExactly()
    {
        var space = TunerFixtures.QuadraticSpace();
        var observations = QuadraticObservations(16, 3);
        var off = Proposer(space, new CarbsOptions { Seed = 3 }, observations, 1.0).Candidates();
        var annealedAway = Proposer(space, new CarbsOptions { Seed = 3, GlobalCandidateShare = 0.3, GlobalCandidateAnnealing = 1 }, observations, 1.0).Candidates();
        Assert.Equal(off, annealedAway);
    }

    [Fact]
    public void Candidates_SameGeneratorState_AreReproduced()
    {
        var space = TunerFixtures.MixedSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 2, ResampleFrequency = 0 });
        TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 10);
        var options = new CarbsOptions { Seed = 2, GlobalCandidateShare = 0.5 };
        var first = Proposer(space, options, tuner.Observations, rngSeed: 11);
        var second = Proposer(space, options, tuner.Observations, rngSeed: 11);
        var other = Proposer(space, options, tuner.Observations, rngSeed: 12);

        Assert.Equal(first.Candidates(), second.Candidates());
        Assert.NotEqual(first.Candidates(), other.Candidates());
        var global = first.Candidates().Where((_, j) => first.IsGlobal(j)).ToList();
        Assert.NotEmpty(global);
        Assert.All(global, c => Assert.True(space.IsWithinBounds(c)));
        // Every category of every categorical coordinate is drawn (uniform over the categories, not mutations of an origin).
        for (var k = 0; k < space.CategoricalDimension; k++)
        {
            Assert.Equal(space.CategoryCount(k), global.Select(c => c[space.ContinuousDimension + k]).Distinct().Count());
        }
    }

    /// <summary>
    /// Every observation in one corner (x, y ∈ [−1.9, −1.6]) around a bowl whose bottom the study has found, and the
    /// trust regions shrunk to 0.05: the local candidates sit where the model is sure that nothing beats the target by β,
    /// far away it is unsure. Local candidates cannot get there; global ones can, and win despite their prior.
    /// </summary>
    [Fact]
    public void Next_LocalRegionExhausted_PicksAGlobalCandidateFarAway()
    {
        var space = TunerFixtures.QuadraticSpace();
        var random = new Random(4);
        var observations = new List<Observation>();
        for (var i = 0; i < 24; i++)
        {
            double x = -1.9 + (0.3 * random.NextDouble()), y = -1.9 + (0.3 * random.NextDouble());
            var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal) { ["x"] = x, ["y"] = y };
            observations.Add(new Observation(point, ((x + 1.75) * (x + 1.75)) + ((y + 1.75) * (y + 1.75)), 1.0 + (0.01 * random.NextDouble())));
        }
        double FromCorner(double[] x) => Math.Sqrt(((x[0] + 1.75) * (x[0] + 1.75)) + ((x[1] + 1.75) * (x[1] + 1.75)));
        var local = Proposer(space, new CarbsOptions { Seed = 4 }, observations, radius: 0.05).Next(double.PositiveInfinity);
        var mixed = Proposer(space, new CarbsOptions { Seed = 4, GlobalCandidateShare = 0.2 }, observations, radius: 0.05).Next(double.PositiveInfinity);

        Assert.NotNull(local);
        Assert.NotNull(mixed);
        Assert.NotNull(local.OriginKey);
        Assert.True(mixed.OriginKey is null, $"{mixed.Terms} at ({mixed.XInBasic[0]:F2}, {mixed.XInBasic[1]:F2}); local {local.Terms}");
        Assert.True(FromCorner(local.XInBasic) < 0.4, $"local pick at ({local.XInBasic[0]:F2}, {local.XInBasic[1]:F2})");
        Assert.True(FromCorner(mixed.XInBasic) > 1.0, $"global pick at ({mixed.XInBasic[0]:F2}, {mixed.XInBasic[1]:F2})");
    }
}
