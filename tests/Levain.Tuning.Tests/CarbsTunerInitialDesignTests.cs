using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Modeling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>The initial design's size: max(4, D + 1) by default, NumRandomSamples when set.</summary>
public sealed class CarbsTunerInitialDesignTests
{
    private static SearchSpace LinearSpace(int dimensions) =>
        new([.. Enumerable.Range(1, dimensions).Select(j => ParameterSpec.Linear($"x{j}", center: 0.5, min: 0.0, max: 1.0, scale: 0.5))]);

    /// <summary>A smooth bowl whose cost rises with x1, so the Bayesian phase has something to model.</summary>
    private static (double Output, double Cost) Bowl(IReadOnlyDictionary<string, ParamValue> p) =>
        (p.Sum(kv => (kv.Value.Number - 0.3) * (kv.Value.Number - 0.3)), 1.0 + p["x1"].Number);

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 5)]
    [InlineData(7, 8)]
    [InlineData(10, 11)]
    public void RandomPhaseLength_Default_IsTheLargerOfFourAndDimensionPlusOne(int dimensions, int expected)
    {
        var tuner = new CarbsTuner(LinearSpace(dimensions), new CarbsOptions { Seed = 1 });

        Assert.Null(tuner.Options.NumRandomSamples);
        Assert.Equal(expected, tuner.RandomPhaseLength);
    }

    [Fact]
    public void RandomPhaseLength_Explicit_IsKeptWhateverTheDimension()
    {
        Assert.Equal(3, new CarbsTuner(LinearSpace(7), new CarbsOptions { Seed = 1, NumRandomSamples = 3 }).RandomPhaseLength);
        Assert.Equal(12, new CarbsTuner(LinearSpace(2), new CarbsOptions { Seed = 1, NumRandomSamples = 12 }).RandomPhaseLength);
    }

    [Fact]
    public void Constructor_NegativeNumRandomSamples_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new CarbsTuner(LinearSpace(2), new CarbsOptions { NumRandomSamples = -1 }));
        Assert.Contains("NumRandomSamples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_SevenDimensions_RunsAnEightPointLatinHypercubeThenTheBayesianPhase()
    {
        var space = LinearSpace(7);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 5 });
        var phases = new List<SuggestionPhase>();
        var design = new List<double[]>();
        for (var i = 0; i < 9; i++)
        {
            var s = tuner.Suggest()[0];
            phases.Add(s.Phase);
            if (s.Phase == SuggestionPhase.Random)
            {
                design.Add(space.ToBasic(s.Parameters));
            }
            var (output, cost) = Bowl(s.Parameters);
            tuner.Observe(new Observation(s.Parameters, output, cost, SuggestionId: s.Id));
        }

        Assert.Equal([.. Enumerable.Repeat(SuggestionPhase.Random, 8), SuggestionPhase.Bayesian], phases);
        // Latin hypercube: in every coordinate the 8 points fall in the 8 equal-probability strata of
        // N(center, (2 × search radius)²), one each (4 points, the old default, would leave half the strata of 8 empty).
        var sigma = InitialDesign.WidthInRadii * tuner.Options.SearchRadius;
        var center = space.CenterInBasic;
        for (var j = 0; j < 7; j++)
        {
            var strata = design.Select(x => (int)Math.Floor(NormalDistribution.Cdf((x[j] - center[j]) / sigma) * 8)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, 8), strata);
        }
    }

    [Fact]
    public void Suggest_ExplicitFourInSevenDimensions_KeepsTheShortRandomPhase()
    {
        var space = LinearSpace(7);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 5, NumRandomSamples = 4 });
        var phases = new List<SuggestionPhase>();
        for (var i = 0; i < 5; i++)
        {
            var s = tuner.Suggest()[0];
            phases.Add(s.Phase);
            var (output, cost) = Bowl(s.Parameters);
            tuner.Observe(new Observation(s.Parameters, output, cost, SuggestionId: s.Id));
        }

        Assert.Equal([.. Enumerable.Repeat(SuggestionPhase.Random, 4), SuggestionPhase.Bayesian], phases);
    }

    [Fact]
    public void ToJson_MidDesign_RestoredTunerContinuesTheSameDesign()
    {
        var space = LinearSpace(6);
        var original = new CarbsTuner(space, new CarbsOptions { Seed = 9 });
        TunerFixtures.Drive(original, Bowl, 3);
        var restored = CarbsTuner.FromJson(original.ToJson());

        for (var i = 0; i < 5; i++)
        {
            var expected = original.Suggest()[0];
            var actual = restored.Suggest()[0];
            TunerFixtures.AssertSameSuggestion(expected, actual);
            Assert.Equal(i < 4 ? SuggestionPhase.Random : SuggestionPhase.Bayesian, actual.Phase);
            var (output, cost) = Bowl(expected.Parameters);
            original.Observe(new Observation(expected.Parameters, output, cost, SuggestionId: expected.Id));
            restored.Observe(new Observation(actual.Parameters, output, cost, SuggestionId: actual.Id));
        }
    }
}
