using CsCheck;
using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;

namespace Levain.Tuning.Tests.Modeling;

/// <summary>
/// The magnitude-keeping output transforms (<see cref="CarbsOptions.OutputTransform"/>: Standardize, Power, Auto)
/// beside the default rank transform, and the Yeo-Johnson fit behind Power.
/// </summary>
public sealed class MagnitudeOutputTransformTests
{
    public static TheoryData<OutputTransformKind> Kinds => [OutputTransformKind.Quantile, OutputTransformKind.Standardize, OutputTransformKind.Power];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Transform_IsMonotoneInTheDirectionAndFinite_Property(OutputTransformKind kind)
    {
        Gen.Double[-1e3, 1e3].Array[2, 60].Sample(outputs =>
        {
            var maximize = OutputTransform.Create(kind, outputs, isMaximizing: true);
            var minimize = OutputTransform.Create(kind, outputs, isMaximizing: false);
            var sorted = outputs.Distinct().Order().ToArray();
            var probes = sorted.Prepend(-1e9).Append(1e9).ToArray();
            for (var i = 1; i < probes.Length; i++)
            {
                Assert.True(maximize.Transform(probes[i]) >= maximize.Transform(probes[i - 1]));
                Assert.True(minimize.Transform(probes[i]) <= minimize.Transform(probes[i - 1]));
            }
            foreach (var y in probes)
            {
                Assert.True(double.IsFinite(maximize.Transform(y)) && double.IsFinite(minimize.Transform(y)));
            }
            if (sorted.Length > 1)
            {
                // Larger is better inside the model: the best output scores highest, the worst lowest.
                Assert.True(maximize.Transform(sorted[^1]) > maximize.Transform(sorted[0]));
                Assert.True(minimize.Transform(sorted[0]) > minimize.Transform(sorted[^1]));
            }
        }, iter: 100);
    }

    [Theory]
    [InlineData(OutputTransformKind.Quantile)]
    [InlineData(OutputTransformKind.Power)]
    public void Transform_IsStrictlyMonotoneWhereNothingIsClipped_Property(OutputTransformKind kind)
    {
        Gen.Double[-1e3, 1e3].Array[2, 60].Sample(outputs =>
        {
            var t = OutputTransform.Create(kind, outputs, isMaximizing: false);
            var sorted = outputs.Distinct().Order().ToArray();
            var resolution = 1e-9 * (sorted[^1] - sorted[0]); // closer values may round together once standardised
            for (var i = 1; i < sorted.Length; i++)
            {
                Assert.True(sorted[i] - sorted[i - 1] <= resolution || t.Transform(sorted[i]) < t.Transform(sorted[i - 1]));
            }
        }, iter: 100);
    }

    [Theory]
    [InlineData(OutputTransformKind.Standardize)]
    [InlineData(OutputTransformKind.Power)]
    public void DeeperBestOutput_ScoresHigher_WhereTheRankTransformCannotTell(OutputTransformKind kind)
    {
        // A flat, noisy bulk and one dip (minimised): the rank transform gives the dip the same score at any depth.
        var bulk = Enumerable.Range(0, 30).Select(i => -0.2 + (0.01 * ((i * 7) % 11))).ToList();
        List<double> shallow = [.. bulk, -1.0];
        List<double> deep = [.. bulk, -2.5];
        Assert.Equal(new QuantileOutputTransform(shallow, false).Transform(-1.0), new QuantileOutputTransform(deep, false).Transform(-2.5), 1e-12);
        var shallowT = OutputTransform.Create(kind, shallow, isMaximizing: false);
        var deepT = OutputTransform.Create(kind, deep, isMaximizing: false);
        // Gap between the dip and the best of the bulk, in units of the bulk's own spread of scores.
        double Gap(OutputTransform t, double dip) => (t.Transform(dip) - t.Transform(bulk.Min())) / (t.Transform(bulk.Min()) - t.Transform(bulk.Max()));
        Assert.True(Gap(deepT, -2.5) > 1.5 * Gap(shallowT, -1.0), $"{kind}: {Gap(deepT, -2.5)} vs {Gap(shallowT, -1.0)}");
        Assert.True(Gap(deepT, -2.5) > 2.0 * Gap(new QuantileOutputTransform(deep, false), -2.5));
    }

    [Fact]
    public void Standardize_HasUnitSpread_AndClipsOnlyTheBadSide()
    {
        var rng = new Xoshiro256StarStar(5);
        var outputs = Enumerable.Range(0, 200).Select(_ => rng.NextNormal()).ToList();
        var t = OutputTransform.Create(OutputTransformKind.Standardize, outputs, isMaximizing: true);
        var scores = outputs.Select(t.Transform).ToArray();
        Assert.Equal(0.0, scores.Average(), 1e-9);
        Assert.Equal(1.0, Math.Sqrt(scores.Sum(s => s * s) / (scores.Length - 1)), 1e-2); // few normal draws lie 3 robust sds out
        // A diverged run (minimised loss of 1e6) is clipped at median + 3 robust sds and leaves the others' spread intact.
        List<double> losses = [.. Enumerable.Range(0, 20).Select(i => 1.0 + (0.1 * i)), 1e6];
        var clipped = OutputTransform.Create(OutputTransformKind.Standardize, losses, isMaximizing: false);
        var spread = clipped.Transform(1.0) - clipped.Transform(2.9);
        Assert.InRange(spread, 1.0, 4.0);
        Assert.Equal(clipped.Transform(1e6), clipped.Transform(1e3), 1e-12);
        Assert.True(clipped.Transform(1e6) < clipped.Transform(2.9));
        // A deep good output is not clipped: its score keeps growing with its depth.
        Assert.True(OutputTransform.Create(OutputTransformKind.Standardize, [.. losses, -50], false).Transform(-50)
            > OutputTransform.Create(OutputTransformKind.Standardize, [.. losses, -5], false).Transform(-5));
    }

    [Fact]
    public void Power_OnLogNormalOutputs_IsCloseToTheRankScores()
    {
        // exp of normal draws: the fitted power transform undoes the skew, so its scores track the normal scores of ranks.
        var rng = new Xoshiro256StarStar(8);
        var outputs = Enumerable.Range(0, 300).Select(_ => Math.Exp(rng.NextNormal())).ToList();
        var power = OutputTransform.Create(OutputTransformKind.Power, outputs, isMaximizing: true);
        var rank = new QuantileOutputTransform(outputs, true);
        var standardize = OutputTransform.Create(OutputTransformKind.Standardize, outputs, isMaximizing: true);
        double Distance(OutputTransform t) => outputs.Average(y => Math.Abs(t.Transform(y) - rank.Transform(y)));
        Assert.True(Distance(power) < 0.2, $"{Distance(power)}");
        Assert.True(Distance(power) < 0.5 * Distance(standardize));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Transform_WithoutInformation_IsZero(OutputTransformKind kind)
    {
        Assert.Equal(0.0, OutputTransform.Create(kind, [5], true).Transform(5));
        Assert.Equal(0.0, OutputTransform.Create(kind, [2, 2, 2], false).Transform(2));
        Assert.Equal(0.0, OutputTransform.Create(kind, [1, 3], false).Transform(double.NaN));
    }

    [Fact]
    public void YeoJohnson_RecoversLambdaNearZero_OnLogNormalData()
    {
        // x + 1 log-normal: ψ(x, 0) = ln(x + 1) is exactly normal.
        var rng = new Xoshiro256StarStar(3);
        var x = Enumerable.Range(0, 2000).Select(_ => Math.Exp(1.5 + (0.4 * rng.NextNormal())) - 1.0).ToArray();
        Assert.InRange(YeoJohnson.FitLambda(x), -0.08, 0.08);
    }

    [Fact]
    public void YeoJohnson_RecoversLambdaNearOne_OnNormalData_AndMirrorsToTwoMinusLambda()
    {
        var rng = new Xoshiro256StarStar(4);
        var normal = Enumerable.Range(0, 2000).Select(_ => rng.NextNormal()).ToArray();
        Assert.InRange(YeoJohnson.FitLambda(normal), 0.85, 1.15);
        var skewed = Enumerable.Range(0, 500).Select(_ => Math.Exp(rng.NextNormal()) - 1.0).ToArray();
        var lambda = YeoJohnson.FitLambda(skewed);
        Assert.InRange(lambda, -0.5, 0.5);
        Assert.Equal(2.0 - lambda, YeoJohnson.FitLambda([.. skewed.Select(v => -v)]), 1e-4);
    }

    [Fact]
    public void YeoJohnson_Apply_MatchesTheDefinition()
    {
        Assert.Equal(Math.Log(3.0), YeoJohnson.Apply(2.0, 0.0), 1e-12);
        Assert.Equal(Math.Log(3.0), YeoJohnson.Apply(2.0, 1e-9), 1e-8); // continuous at λ = 0
        Assert.Equal((Math.Pow(3.0, 0.5) - 1.0) / 0.5, YeoJohnson.Apply(2.0, 0.5), 1e-12);
        Assert.Equal(-Math.Log(3.0), YeoJohnson.Apply(-2.0, 2.0), 1e-12);
        Assert.Equal(-((Math.Pow(3.0, 1.5) - 1.0) / 1.5), YeoJohnson.Apply(-2.0, 0.5), 1e-12);
        Assert.Equal(0.7, YeoJohnson.Apply(0.7, 1.0), 1e-12);
        Assert.Equal(-0.7, YeoJohnson.Apply(-0.7, 1.0), 1e-12);
        Gen.Double[-50, 50].Select(Gen.Double[-3, 3]).Sample((x, lambda) =>
            Assert.Equal(-YeoJohnson.Apply(x, 2.0 - lambda), YeoJohnson.Apply(-x, lambda), 1e-9 * (1 + Math.Abs(YeoJohnson.Apply(-x, lambda)))), iter: 200);
    }

    [Fact]
    public void Option_ReachesTheOutputModel_IsSavedAsAName_AndOldStatesTakeTheDefault()
    {
        List<Suggestion> Next(OutputTransformKind kind)
        {
            var tuner = new CarbsTuner(TunerFixtures.MixedSpace(), new CarbsOptions { Seed = 9, OutputTransform = kind }, new ManualTimeProvider(TunerFixtures.Epoch));
            TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 12);
            return [.. tuner.Suggest(2)];
        }
        var quantile = Next(OutputTransformKind.Quantile);
        Assert.All(quantile, s => Assert.Equal(SuggestionPhase.Bayesian, s.Phase));
        Assert.NotEqual(quantile.Select(s => s.Parameters["lr"].Number), Next(OutputTransformKind.Power).Select(s => s.Parameters["lr"].Number));

        var saved = new CarbsTuner(TunerFixtures.MixedSpace(), new CarbsOptions { Seed = 9, OutputTransform = OutputTransformKind.Power }).ToJson();
        var node = System.Text.Json.Nodes.JsonNode.Parse(saved)!;
        Assert.Equal("Power", node["Options"]!["OutputTransform"]!.GetValue<string>());
        node["Options"]!.AsObject().Remove("OutputTransform"); // a state saved before the option existed takes the default
        Assert.Equal(OutputTransformKind.Auto, new CarbsOptions().OutputTransform);
        Assert.Equal(OutputTransformKind.Auto, CarbsTuner.FromJson(node.ToJsonString()).Options.OutputTransform);

        var error = Assert.Throws<ArgumentException>(() => new CarbsTuner(TunerFixtures.MixedSpace(), new CarbsOptions { OutputTransform = (OutputTransformKind)9 }));
        Assert.StartsWith("CarbsOptions.OutputTransform must be Quantile, Standardize, Power or Auto", error.Message);
    }

    [Fact]
    public void Auto_IsPowerOnlyWhileReplicatesShowMaterialNoise()
    {
        List<Suggestion> Next(OutputTransformKind kind, double replicateNoise)
        {
            // Only the random phase is driven, so every kind starts its first Bayesian suggestion from the same data.
            var tuner = new CarbsTuner(TunerFixtures.MixedSpace(), new CarbsOptions { Seed = 5, OutputTransform = kind, ResampleFrequency = 0, NumRandomSamples = 8 }, new ManualTimeProvider(TunerFixtures.Epoch));
            TunerFixtures.Drive(tuner, TunerFixtures.Mixed, 8);
            foreach (var (o, i) in tuner.Observations.Take(3).Select((o, i) => (o, i)))
            {
                tuner.Observe(new Observation(o.Parameters, o.Output + (i % 2 == 0 ? replicateNoise : -replicateNoise), o.Cost));
            }
            var next = tuner.Suggest(2);
            Assert.All(next, x => Assert.Equal(SuggestionPhase.Bayesian, x.Phase));
            return [.. next];
        }
        double[] Lr(List<Suggestion> s) => [.. s.Select(x => x.Parameters["lr"].Number)];
        // Replicates that agree: no noise, Auto keeps the rank transform.
        var quantile = Lr(Next(OutputTransformKind.Quantile, 0));
        Assert.Equal(quantile, Lr(Next(OutputTransformKind.Auto, 0)));
        Assert.NotEqual(quantile, Lr(Next(OutputTransformKind.Power, 0)));
        // Replicates 2 apart on outputs of spread ~1: material noise, Auto takes the power transform.
        var power = Lr(Next(OutputTransformKind.Power, 2));
        Assert.Equal(power, Lr(Next(OutputTransformKind.Auto, 2)));
        Assert.NotEqual(Lr(Next(OutputTransformKind.Quantile, 2)), power);
    }
}
