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
        Assert.Equal(-0.3, front.Slope, 1e-9);
        Assert.Equal(4 - (0.3 * Math.Log(1e5)), front.PredictedOutput!.Value, 1e-9);
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
}
