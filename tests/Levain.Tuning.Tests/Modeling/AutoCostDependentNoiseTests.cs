using Levain.Tuning.Modeling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Modeling;

/// <summary>
/// <see cref="CarbsOptions.CostDependentNoise"/>'s automatic mode (null, the default): the output model's noise follows
/// the cost once replicated assignments disagree materially (pooled replicate variance ≥ 2 % of the outputs'), and
/// stays one level while they agree, barely differ or none is replicated.
/// </summary>
public sealed class AutoCostDependentNoiseTests
{
    // QuadraticSpace: 2 continuous dimensions, so the output θ has 2 + 3 entries, or 2 + 4 with the noise slope θ_t.
    private const int Homoscedastic = 5, CostDependent = 6;

    private static Dictionary<string, ParamValue> Point(double x, double y) => new()
    {
        ["x"] = ParamValue.FromNumber(x),
        ["y"] = ParamValue.FromNumber(y),
    };

    /// <summary>
    /// 40 observations of <see cref="TunerFixtures.Quadratic"/> (cost 1 + (x + 2) ∈ [1, 5]), with Gaussian noise of
    /// standard deviation <paramref name="noiseAtCheapest"/>·(5 − cost)/4 (largest at the cheap end, zero at the
    /// dearest), and the 8 cheapest assignments observed <paramref name="replicates"/> times in all.
    /// </summary>
    private static CarbsTuner Tuner(double noiseAtCheapest, int replicates, bool? costDependentNoise = null)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 7, ResampleFrequency = 0, CostDependentNoise = costDependentNoise });
        var rng = new Random(7);
        var points = Enumerable.Range(0, 40).Select(_ => Point(Math.Round((rng.NextDouble() * 4) - 2, 4), Math.Round((rng.NextDouble() * 4) - 2, 4))).ToList();
        var cheapest = points.OrderBy(p => p["x"].Number).Take(8).ToHashSet();
        foreach (var p in points)
        {
            for (var r = 0; r < (cheapest.Contains(p) ? replicates : 1); r++)
            {
                var (output, cost) = TunerFixtures.Quadratic(p);
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                tuner.Observe(new Observation(p, output + (noiseAtCheapest * (5 - cost) / 4 * gaussian), cost));
            }
        }
        return tuner;
    }

    [Fact]
    public void Suggest_NoisyReplicatesAtTheCheapEnd_FitsANoiseThatGrowsTowardTheCheapEnd()
    {
        var tuner = Tuner(noiseAtCheapest: 1.0, replicates: 3);
        tuner.Suggest();
        var theta = tuner.Models.Hyperparameters["output"];
        Assert.Equal(CostDependent, theta.Length);
        Assert.True(theta[^2] < -1.0, $"θ_t = {theta[^2]:G3}"); // σ²_n(0) = σ²_n(1)·e^(−θ_t): the cheapest are noisier
    }

    [Theory]
    [InlineData(0.0, 3)] // replicated, identical outputs: noise-free
    [InlineData(1.0, 1)] // nothing replicated: no evidence
    [InlineData(0.05, 3)] // replicated, noise immaterial against the outputs' spread
    public void Suggest_NoiseFreeImmaterialOrUnreplicated_KeepsOneNoiseLevel(double noiseAtCheapest, int replicates)
    {
        var tuner = Tuner(noiseAtCheapest, replicates);
        tuner.Suggest();
        Assert.Equal(Homoscedastic, tuner.Models.Hyperparameters["output"].Length);
    }

    [Theory]
    [InlineData(true, CostDependent)]
    [InlineData(false, Homoscedastic)]
    public void Suggest_Forced_IgnoresTheEvidence(bool forced, int length)
    {
        var tuner = Tuner(noiseAtCheapest: forced ? 0.0 : 1.0, replicates: 3, costDependentNoise: forced);
        tuner.Suggest();
        Assert.Equal(length, tuner.Models.Hyperparameters["output"].Length);
    }

    [Fact]
    public void ReplicateNoiseShare_IsThePooledReplicateVarianceOverTheOutputsVariance()
    {
        var space = TunerFixtures.QuadraticSpace();
        Observation At(double x, double output) => new(Point(x, 0.5), output, 1.0);
        Assert.Equal(0.0, NoiseEstimate.ReplicateNoiseShare(space, [At(0.1, 1.0), At(0.2, 2.0), At(0.3, 3.0)])); // none replicated
        Assert.Equal(0.0, NoiseEstimate.ReplicateNoiseShare(space, [At(0.1, 1.0), At(0.2, 2.0), At(0.1, 1.0)])); // identical
        Assert.Equal(0.0, NoiseEstimate.ReplicateNoiseShare(space, [At(0.1, 1.0), At(0.1, 1.0), At(0.1, 1.0)])); // no spread at all
        // Groups {0, 2} and {4, 4, 7}: pooled (2 + 6)/3; all five outputs 0, 2, 4, 4, 7: variance 6.8.
        var share = NoiseEstimate.ReplicateNoiseShare(space, [At(0.1, 0.0), At(0.2, 4.0), At(0.1, 2.0), At(0.2, 4.0), At(0.2, 7.0)]);
        Assert.Equal(8.0 / 3.0 / 6.8, share, 12);
        Assert.True(NoiseEstimate.ShowsMaterialNoise(space, [At(0.1, 0.0), At(0.2, 4.0), At(0.1, 2.0)]));
        // A replicate pair 0.01 apart among outputs spread over 0 … 10: immaterial.
        Assert.False(NoiseEstimate.ShowsMaterialNoise(space, [At(0.1, 5.0), At(0.1, 5.01), At(0.2, 0.0), At(0.3, 10.0), At(0.4, 2.0)]));
    }

    [Fact]
    public void FromJson_AutoModeSwitchingOn_RestoredTunerMakesTheSameSuggestions()
    {
        var live = Tuner(noiseAtCheapest: 0.0, replicates: 2); // identical replicates: one noise level
        TunerFixtures.Drive(live, TunerFixtures.Quadratic, 2);
        Assert.Equal(Homoscedastic, live.Models.Hyperparameters["output"].Length);
        var first = live.Observations[0];
        live.Observe(first with { Output = first.Output + 4.0, SuggestionId = null }); // a replicate disagrees
        TunerFixtures.Drive(live, TunerFixtures.Quadratic, 2);
        Assert.Equal(CostDependent, live.Models.Hyperparameters["output"].Length);
        var restored = CarbsTuner.FromJson(live.ToJson());
        for (var step = 0; step < 4; step++)
        {
            var expected = live.Suggest(step % 2 == 0 ? 2 : 1);
            var actual = restored.Suggest(step % 2 == 0 ? 2 : 1);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                TunerFixtures.AssertSameSuggestion(expected[i], actual[i]);
                var (output, cost) = TunerFixtures.Quadratic(expected[i].Parameters);
                live.Observe(new Observation(expected[i].Parameters, output, cost, SuggestionId: expected[i].Id));
                restored.Observe(new Observation(actual[i].Parameters, output, cost, SuggestionId: actual[i].Id));
            }
        }
        Assert.Equal(live.ToJson(), restored.ToJson());
    }
}
