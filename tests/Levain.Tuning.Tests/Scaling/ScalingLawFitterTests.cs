using Levain.Tuning.Pareto;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Scaling;

public sealed class ScalingLawFitterTests
{
    [Fact]
    public void Fit_KnownPowerLaw_RecoversExponentAndExtrapolates()
    {
        // lr = 0.02 · C^(−0.35) (a power law), layers = 2 + 3·ln C (linear in ln C), loss = 4 − 0.3·ln C, small noise.
        var space = new SearchSpace([ParameterSpec.Log("lr", 1e-3, 1e-6, 1), ParameterSpec.Linear("layers", 8, 1, 100), ParameterSpec.Categorical("opt", ["a", "b"])]);
        var rng = new Random(1);
        var points = new List<ParetoPoint>();
        foreach (var cost in new[] { 1.0, 3, 10, 30, 100, 300, 1000 })
        {
            var lr = 0.02 * Math.Pow(cost, -0.35) * Math.Pow(10, 0.01 * (rng.NextDouble() - 0.5));
            var layers = 2 + (3 * Math.Log(cost)) + (0.05 * (rng.NextDouble() - 0.5));
            var parameters = new Dictionary<string, ParamValue> { ["lr"] = lr, ["layers"] = layers, ["opt"] = "a" };
            points.Add(new ParetoPoint(parameters, cost, 4 - (0.3 * Math.Log(cost)), 1));
        }
        var report = ScalingLawFitter.Fit(space, new ParetoFront(points), targetCost: 1e5);
        Assert.Equal(2, report.Parameters.Count);
        var lrLaw = report.Parameters.Single(l => l.Name == "lr");
        // Basic value of a log-10 parameter: log10(lr) = log10(0.02) − 0.35·ln C / ln 10.
        Assert.Equal(-0.35 / Math.Log(10), lrLaw.Slope, 2e-3);
        Assert.Equal(Math.Log10(0.02), lrLaw.Intercept, 1e-2);
        Assert.Equal(0.02 * Math.Pow(1e5, -0.35), lrLaw.PredictedValueInParam!.Value, 0.05 * lrLaw.PredictedValueInParam.Value);
        Assert.True(lrLaw.LowerInParam < lrLaw.PredictedValueInParam && lrLaw.PredictedValueInParam < lrLaw.UpperInParam);
        var layersLaw = report.Parameters.Single(l => l.Name == "layers");
        Assert.Equal(3.0, layersLaw.Slope, 1e-2);
        Assert.Equal(2 + (3 * Math.Log(1e5)), layersLaw.PredictedValueInParam!.Value, 0.2);
        Assert.Equal(7, layersLaw.PointCount);
        var front = Assert.IsType<FrontLaw>(report.Front);
        Assert.Equal(-0.3, front.Slope, 1e-9); // the straight line, kept for comparison
        // The metric's law is the saturating one; on a loss falling as a straight line in ln cost it shows no saturation.
        Assert.Equal("saturating", front.Form);
        Assert.False(front.Saturating!.ShowsSaturation);
        Assert.Equal(front.Saturating.Predict(1e5), front.PredictedOutput!.Value, 12);
    }

    [Fact]
    public void Fit_FrontOnAKnownSaturatingLaw_PredictsWithTheLawNotTheLine()
    {
        // loss = 1.7 + 40·C^−0.3 along the front, noise sd 0.005, costs 1 … 3e3; the truth at 1e5 is 1.7 + 40·1e5^−0.3.
        var space = new SearchSpace([ParameterSpec.Log("n", 10, 1, 1e6)]);
        var rng = new Random(3);
        var points = new[] { 1.0, 3, 10, 30, 100, 300, 1000, 3000 }.Select(c => new ParetoPoint(
            new Dictionary<string, ParamValue> { ["n"] = c }, c, 1.7 + (40 * Math.Pow(c, -0.3)) + (0.005 * (rng.NextDouble() - 0.5) * 3.46), 1)).ToList();
        var front = ScalingLawFitter.Fit(space, new ParetoFront(points), 1e5).Front!;
        var truth = 1.7 + (40 * Math.Pow(1e5, -0.3));
        Assert.Equal("saturating", front.Form);
        Assert.True(front.Saturating!.ShowsSaturation);
        Assert.Equal(truth, front.PredictedOutput!.Value, 0.02 * truth);
        Assert.InRange(truth, front.Lower!.Value, front.Upper!.Value);
        // The straight line through the same points overshoots below the truth by far more than 3 %.
        var line = front.Intercept + (front.Slope * Math.Log(1e5));
        Assert.True(line < 0.8 * truth, $"line {line} vs truth {truth}");
    }

    [Theory]
    [InlineData(Direction.Minimize)]
    [InlineData(Direction.Maximize)]
    public void Fit_MetricBound_HoldsTheFloorAndTheIntervalOnTheMetricsSide(Direction direction)
    {
        // Like the demo: six front points over a 3x cost range, a loss falling as a straight line in ln cost (no bend),
        // or an accuracy rising the same way. Without a bound the law extrapolates past 0 (or past 1) at 1e4x.
        var sign = direction == Direction.Minimize ? 1.0 : -1.0;
        var bound = direction == Direction.Minimize ? 0.0 : 1.0;
        var space = new SearchSpace([ParameterSpec.Log("n", 10, 1, 1e6)]);
        var rng = new Random(4);
        var points = Enumerable.Range(0, 6).Select(i =>
        {
            var c = Math.Pow(3, i / 5.0);
            var y = bound + (sign * (0.6 - (0.25 * Math.Log(c)) + (0.01 * (rng.NextDouble() - 0.5))));
            return new ParetoPoint(new Dictionary<string, ParamValue> { ["n"] = c }, c, y, 1);
        }).ToList();
        bool Past(double y) => sign * (y - bound) < 0;
        var free = ScalingLawFitter.Fit(space, new ParetoFront(points), 1e4, direction).Front!;
        Assert.True(Past(free.PredictedOutput!.Value), $"unbounded prediction {free.PredictedOutput}");
        Assert.NotNull(free.Saturating!.NoSaturationWarning);
        Assert.Contains("metric_bound", free.Saturating.NoSaturationWarning, StringComparison.Ordinal);

        var held = ScalingLawFitter.Fit(space, new ParetoFront(points), 1e4, direction, bound).Front!;
        Assert.True(held.Saturating!.FloorAtBound);
        Assert.Equal(bound, held.Saturating.Floor);
        Assert.Null(held.Saturating.NoSaturationWarning);
        Assert.False(Past(held.PredictedOutput!.Value), $"bounded prediction {held.PredictedOutput}");
        Assert.False(Past(held.Lower!.Value) || Past(held.Upper!.Value), $"interval [{held.Lower}, {held.Upper}]");
        // Within the observed range the bounded law still follows the points.
        Assert.All(points, p => Assert.Equal(p.Output, held.Saturating.Predict(p.Cost), 0.05));
    }

    [Fact]
    public void Fit_IntervalWidensAwayFromTheData()
    {
        var space = new SearchSpace([ParameterSpec.Linear("w", 0)]);
        var rng = new Random(2);
        var points = Enumerable.Range(0, 10).Select(i => new ParetoPoint(
            new Dictionary<string, ParamValue> { ["w"] = (0.5 * i) + (rng.NextDouble() - 0.5) }, Math.Exp(i), -i, 1)).ToList();
        var near = ScalingLawFitter.Fit(space, new ParetoFront(points), Math.Exp(4.5)).Parameters[0];
        var far = ScalingLawFitter.Fit(space, new ParetoFront(points), Math.Exp(30)).Parameters[0];
        Assert.True(far.UpperInParam - far.LowerInParam > 2 * (near.UpperInParam - near.LowerInParam));
    }

    [Fact]
    public void Fit_FewOrNoPoints_DegradesGracefully()
    {
        var space = new SearchSpace([ParameterSpec.Linear("w", 0)]);
        Assert.Empty(ScalingLawFitter.Fit(space, new ParetoFront([]), 10).Parameters);
        Assert.Null(ScalingLawFitter.Fit(space, new ParetoFront([]), 10).Front);
        var one = ScalingLawFitter.Fit(space, new ParetoFront([new ParetoPoint(new Dictionary<string, ParamValue> { ["w"] = 2.0 }, 5, 1, 1)]), 50);
        Assert.Equal(0.0, one.Parameters[0].Slope);
        Assert.Equal(2.0, one.Parameters[0].PredictedValueInParam);
        Assert.Null(one.Parameters[0].LowerInParam);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalingLawFitter.Fit(space, new ParetoFront([]), -1));
    }

    [Fact]
    public void FitScalingLaws_OnTuner_UsesItsParetoFront()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 1 });
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 8);
        var report = tuner.FitScalingLaws(10);
        Assert.Equal(["x", "y"], report.Parameters.Select(p => p.Name));
        Assert.Equal(tuner.GetParetoFront().Points.Count, report.Front!.PointCount);
    }
    [Fact]
    public void SaturatingLaw_ThreePointsBendingSharply_WarnsThatTheFloorIsTheDearestPointsLevel()
    {
        // The Pareto front of the demo of 2026-12-07 (session 4): nll_correct 1.835, 1.547, 1.468 over a 1.65x cost range.
        // The exponent runs to its upper limit and the floor to the dearest point's level: the 10x prediction is 1.33.
        var law = SaturatingLaw.Fit([3.43356e11, 4.21016e11, 5.68118e11], [1.835377, 1.547476, 1.467887], isMaximizing: false, bound: 0.0)!;
        Assert.True(law.BendsAtLimit, $"exponent {law.Exponent}");
        Assert.NotNull(law.SharpBendWarning);
        Assert.Contains("from 3 points", law.SharpBendWarning, StringComparison.Ordinal);

        // A front that bends gently (α = 0.3) does not.
        double[] costs = [1, 2, 4, 8, 16, 32];
        var gentle = SaturatingLaw.Fit(costs, [.. costs.Select(c => 1.0 + (2.0 * Math.Pow(c, -0.3)))], isMaximizing: false, bound: 0.0)!;
        Assert.False(gentle.BendsAtLimit, $"exponent {gentle.Exponent}");
        Assert.Null(gentle.SharpBendWarning);

        // The one list the report and the scale-up print: the law's own warnings, then points past the bound.
        var warnings = SaturatingLaw.FrontWarnings(law, [1.835377, 1.547476, -0.1], bound: 0.0, isMaximizing: false);
        Assert.Equal(2, warnings.Count);
        Assert.Equal(law.SharpBendWarning, warnings[0]);
        Assert.StartsWith("1 Pareto point(s) lie past metric_bound 0", warnings[1], StringComparison.Ordinal);
        Assert.Empty(SaturatingLaw.FrontWarnings(gentle, [1.5, 1.2], bound: 0.0, isMaximizing: false));
        Assert.Single(SaturatingLaw.FrontWarnings(null, [-0.1], bound: 0.0, isMaximizing: false));
    }
}
