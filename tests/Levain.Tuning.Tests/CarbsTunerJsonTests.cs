using System.Text.Json;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

public sealed class CarbsTunerJsonTests
{
    [Theory]
    [InlineData(OutstandingEstimator.Thompson, 0.0, OutputTransformKind.Quantile)]
    [InlineData(OutstandingEstimator.Mean, 0.0, OutputTransformKind.Quantile)]
    [InlineData(OutstandingEstimator.Thompson, 0.5, OutputTransformKind.Quantile)] // global candidates: their draws replay from the restored stream
    [InlineData(OutstandingEstimator.Thompson, 0.0, OutputTransformKind.Power)]
    [InlineData(OutstandingEstimator.Mean, 0.0, OutputTransformKind.Standardize)]
    [InlineData(OutstandingEstimator.Thompson, 0.0, OutputTransformKind.Auto)]
    public void FromJson_RestoredTuner_MakesIdenticalNextSuggestions(OutstandingEstimator estimator, double globalCandidateShare, OutputTransformKind outputTransform)
    {
        var clock = new ManualTimeProvider(TunerFixtures.Epoch);
        var options = new CarbsOptions
        {
            Seed = 9, OutstandingEstimator = estimator, MaxSuggestionCost = 80, SuggestionTimeToLive = TimeSpan.FromHours(1), GlobalCandidateShare = globalCandidateShare,
            OutputTransform = outputTransform,
        };
        var tuner = new CarbsTuner(TunerFixtures.MixedSpace(), options, clock);
        TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 10);
        var failing = tuner.Suggest()[0];
        tuner.Observe(new Observation(failing.Parameters, double.NaN, 5, SuggestionId: failing.Id));
        tuner.Suggest(2); // outstanding, enter the next fit as fantasies
        var json = tuner.ToJson();
        var restored = CarbsTuner.FromJson(json, clock);
        Assert.Equal(json, restored.ToJson());
        Assert.Equal(globalCandidateShare, restored.Options.GlobalCandidateShare);
        Assert.Equal(outputTransform, restored.Options.OutputTransform);
        var expected = tuner.Suggest(3);
        var actual = restored.Suggest(3);
        Assert.Contains(expected, s => s.Phase == SuggestionPhase.Bayesian);
        for (var i = 0; i < expected.Count; i++)
        {
            TunerFixtures.AssertSameSuggestion(expected[i], actual[i]);
        }
        Assert.Equal(tuner.ToJson(), restored.ToJson());
    }

    [Fact]
    public void ToJson_IsReadableAndKeepsOptionsObservationsAndRandomState()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 4, Direction = Direction.Maximize });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 3);
        using var document = JsonDocument.Parse(tuner.ToJson());
        var root = document.RootElement;
        Assert.Equal("Maximize", root.GetProperty("Options").GetProperty("Direction").GetString());
        Assert.Equal(3, root.GetProperty("Observations").GetArrayLength());
        Assert.Equal(4, root.GetProperty("RandomState").GetArrayLength());
        var restored = CarbsTuner.FromJson(tuner.ToJson());
        Assert.Equal(tuner.Options, restored.Options);
        Assert.Equal(tuner.Observations.Select(o => o.Output), restored.Observations.Select(o => o.Output));
    }

    [Fact]
    public void FromJson_Garbage_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => CarbsTuner.FromJson("{ not json"));
        Assert.ThrowsAny<ArgumentException>(() => CarbsTuner.FromJson("{}"));
        Assert.ThrowsAny<ArgumentException>(() => CarbsTuner.FromJson("null"));
    }

    [Fact]
    public void FromJson_FreshTuner_ContinuesTheRandomStream()
    {
        var a = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 11 }, new ManualTimeProvider(TunerFixtures.Epoch));
        a.Suggest(2);
        var b = CarbsTuner.FromJson(a.ToJson(), new ManualTimeProvider(TunerFixtures.Epoch));
        TunerFixtures.AssertSameSuggestion(a.Suggest()[0], b.Suggest()[0]);
        _ = ParamValue.FromNumber(0);
    }
}
