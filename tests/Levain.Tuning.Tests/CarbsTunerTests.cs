using Levain.Tuning.Baselines;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

public sealed class CarbsTunerTests
{
    [Fact]
    public void Suggest_BeforeEnoughSuccesses_IsRandomPhaseInsideBounds()
    {
        var space = TunerFixtures.QuadraticSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 1 });
        var batch = tuner.Suggest(6);
        Assert.All(batch, s => Assert.Equal(SuggestionPhase.Random, s.Phase));
        Assert.All(batch, s => space.Validate(s.Parameters));
        Assert.Equal(6, batch.Select(s => s.Id).Distinct().Count());
        Assert.Equal(6, tuner.Outstanding.Count);
    }

    [Fact]
    public void Suggest_AfterRandomPhase_IsBayesianWithFiniteTerms()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 2, ResampleFrequency = 0 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 6);
        var s = tuner.Suggest()[0];
        Assert.Equal(SuggestionPhase.Bayesian, s.Phase);
        var t = Assert.IsType<AcquisitionTerms>(s.Terms);
        Assert.All(new[] { t.Mean, t.StdDev, t.Target, t.PredictedCost, t.ExpectedImprovement, t.PriorWeight, t.ProbabilityOfSuccess, t.ProbabilityWithinCostCap, t.Acquisition }, v => Assert.True(double.IsFinite(v)));
        Assert.True(t.StdDev >= 0 && t.PredictedCost > 0);
        Assert.Equal(1.0, t.ProbabilityOfSuccess);
        Assert.Equal(1.0, t.ProbabilityWithinCostCap);
    }

    [Fact]
    public void Suggest_ResampleDue_RepeatsLeastObservedCheapestParetoPoint()
    {
        var space = TunerFixtures.QuadraticSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 3, ResampleFrequency = 3, NumRandomSamples = 2, ResampleOnlyWhenUncertain = false });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 3);
        Assert.NotEqual(SuggestionPhase.Resample, tuner.Suggest()[0].Phase); // 3 successes do not exceed (0 + 1) × 3
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 1);
        var s = tuner.Suggest()[0];
        Assert.Equal(SuggestionPhase.Resample, s.Phase);
        var front = tuner.GetParetoFront();
        Assert.Contains(front.Points, p => p.Parameters.OrderBy(kv => kv.Key).SequenceEqual(s.Parameters.OrderBy(kv => kv.Key)));
        Assert.Equal(front.Points[0].Parameters["x"], s.Parameters["x"]);
        // The counter advanced: the next suggestion is not another resample.
        Assert.NotEqual(SuggestionPhase.Resample, tuner.Suggest()[0].Phase);
    }

    [Fact]
    public void Suggest_SameSeedAndObservations_GiveIdenticalSuggestions()
    {
        static IReadOnlyList<Suggestion> Run()
        {
            var tuner = new CarbsTuner(TunerFixtures.MixedSpace(), new CarbsOptions { Seed = 42 }, new ManualTimeProvider(TunerFixtures.Epoch));
            TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 12);
            return tuner.Suggest(3);
        }
        var a = Run();
        var b = Run();
        for (var i = 0; i < a.Count; i++)
        {
            TunerFixtures.AssertSameSuggestion(a[i], b[i]);
        }
    }

    [Fact]
    public void Suggest_DifferentSeeds_Differ()
    {
        var a = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 1 }).Suggest()[0];
        var b = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 2 }).Suggest()[0];
        Assert.NotEqual(a.Parameters["x"], b.Parameters["x"]);
    }

    [Fact]
    public void Suggest_Batch_IsDiverseFromOneFit()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 5, ResampleFrequency = 0 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 8);
        var batch = tuner.Suggest(6);
        Assert.All(batch, s => Assert.Equal(SuggestionPhase.Bayesian, s.Phase));
        Assert.Equal(6, batch.Select(s => (s.Parameters["x"].Number, s.Parameters["y"].Number)).Distinct().Count());
        // Fantasies lower the uncertainty at chosen points, so later picks are not all at the single best candidate.
        var xs = batch.Select(s => s.Parameters["x"].Number).ToArray();
        Assert.True(xs.Max() - xs.Min() > 1e-3);
    }

    [Fact]
    public void Suggest_MixedSpace_RunsBayesianPhaseWithValidAssignments()
    {
        var space = TunerFixtures.MixedSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 7, CategoricalMutationProbability = 0.5 });
        TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 15);
        var batch = tuner.Suggest(4);
        Assert.Contains(batch, s => s.Phase == SuggestionPhase.Bayesian);
        Assert.All(batch, s => space.Validate(s.Parameters));
        Assert.All(tuner.Observations, o => Assert.Equal(Math.Round(o.Parameters["layers"].Number), o.Parameters["layers"].Number));
        Assert.True(tuner.Observations.Select(o => o.Parameters["optimizer"].Choice).Distinct().Count() > 1, "categorical mutation never changed the optimizer");
    }

    [Fact]
    public void Observe_ClearsOutstandingAndForgetDropsIt()
    {
        var space = TunerFixtures.QuadraticSpace();
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 1 });
        var batch = tuner.Suggest(3);
        var (output, cost) = TunerFixtures.Quadratic(batch[0].Parameters);
        tuner.Observe(new Observation(batch[0].Parameters, output, cost, SuggestionId: batch[0].Id));
        Assert.Equal(2, tuner.Outstanding.Count);
        Assert.True(tuner.Forget(batch[1].Id));
        Assert.False(tuner.Forget(batch[1].Id));
        Assert.Equal([batch[2].Id], tuner.Outstanding.Select(s => s.Id));
    }

    [Fact]
    public void Outstanding_AfterTimeToLive_ExpiresAndIsLogged()
    {
        var clock = new ManualTimeProvider(TunerFixtures.Epoch);
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 1, SuggestionTimeToLive = TimeSpan.FromMinutes(10) }, clock);
        var logs = new List<string>();
        tuner.Logged += (_, line) => logs.Add(line);
        var first = tuner.Suggest()[0];
        Assert.Equal(TunerFixtures.Epoch, first.CreatedAt);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(tuner.Outstanding);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(tuner.Outstanding);
        tuner.Suggest();
        Assert.Contains(logs, l => l.Contains($"'{first.Id}' expired", StringComparison.Ordinal));
        Assert.Single(tuner.Outstanding);
    }

    [Fact]
    public void Misuse_ThrowsClearArgumentExceptions()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => tuner.Suggest(0));
        var unknown = Assert.ThrowsAny<ArgumentException>(() => tuner.Observe(new Observation(new Dictionary<string, ParamValue> { ["x"] = 0.0, ["y"] = 0.0, ["z"] = 1.0 }, 1, 1)));
        Assert.Contains("'z'", unknown.Message, StringComparison.Ordinal);
        var wrongKind = Assert.ThrowsAny<ArgumentException>(() => tuner.Observe(new Observation(new Dictionary<string, ParamValue> { ["x"] = "a", ["y"] = 0.0 }, 1, 1)));
        Assert.Contains("'x'", wrongKind.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => tuner.Observe(new Observation(new Dictionary<string, ParamValue> { ["x"] = 0.0, ["y"] = 0.0 }, 1, -1)));
        Assert.ThrowsAny<ArgumentException>(() => new CarbsTuner(new SearchSpace([]), new CarbsOptions()));
        Assert.ThrowsAny<ArgumentException>(() => new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { SearchRadius = 0 }));
        Assert.Empty(tuner.Observations);
    }

    [Fact]
    public void Tuner_BeatsCenteredRandomSearch_OnQuadraticWithCost()
    {
        const int budget = 30;
        var tunerBest = new List<double>();
        var randomBest = new List<double>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = seed });
            TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, budget);
            tunerBest.Add(tuner.Observations.Min(o => o.Output));
            var sampler = new CenteredRandomSampler(TunerFixtures.QuadraticSpace(), 0.3, seed);
            randomBest.Add(Enumerable.Range(0, budget).Min(_ => TunerFixtures.Quadratic(sampler.Sample()).Output));
        }
        tunerBest.Sort();
        randomBest.Sort();
        Assert.True(tunerBest[1] < randomBest[1], $"tuner median best {tunerBest[1]:G4} vs random {randomBest[1]:G4}");
        Assert.True(tunerBest[1] < 0.05, $"tuner median best {tunerBest[1]:G4}");
    }
}
