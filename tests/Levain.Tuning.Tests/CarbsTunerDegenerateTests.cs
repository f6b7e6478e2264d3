using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>docs/tuner.md B3: degenerate data never throws out of Suggest; each case yields a valid suggestion and a log line.</summary>
public sealed class CarbsTunerDegenerateTests
{
    private static (CarbsTuner Tuner, List<string> Logs) NewTuner(CarbsOptions? options = null)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), options ?? new CarbsOptions { Seed = 1, ResampleFrequency = 0 });
        var logs = new List<string>();
        tuner.Logged += (_, line) => logs.Add(line);
        return (tuner, logs);
    }

    private static Dictionary<string, ParamValue> Point(double x, double y) => new() { ["x"] = x, ["y"] = y };

    private static void AssertValidBayesian(CarbsTuner tuner, int count = 2)
    {
        var batch = tuner.Suggest(count);
        Assert.Equal(count, batch.Count);
        Assert.All(batch, s => tuner.Space.Validate(s.Parameters));
        Assert.All(batch, s => Assert.True(s.Terms is null || (double.IsFinite(s.Terms.Mean) && double.IsFinite(s.Terms.StdDev) && double.IsFinite(s.Terms.PredictedCost))));
    }

    [Fact]
    public void Suggest_DuplicateObservations_StaysValid()
    {
        var (tuner, logs) = NewTuner();
        for (var i = 0; i < 12; i++)
        {
            tuner.Observe(new Observation(Point(0.1, 0.2), 1.0 + (0.01 * (i % 3)), 2.0));
        }
        tuner.Observe(new Observation(Point(0.3, 0.2), 0.5, 3.0));
        AssertValidBayesian(tuner);
        Assert.Equal(SuggestionPhase.Bayesian, tuner.Suggest()[0].Phase);
        Assert.Single(tuner.GetParetoFront().Points, p => p.Count == 12);
        Assert.Contains(logs, l => l.StartsWith("Pareto area", StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_AllCostsEqual_LogsAndStaysValid()
    {
        var (tuner, logs) = NewTuner();
        var rng = new Random(1);
        for (var i = 0; i < 8; i++)
        {
            tuner.Observe(new Observation(Point(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5), rng.NextDouble(), 7.0));
        }
        AssertValidBayesian(tuner);
        Assert.Contains(logs, l => l.Contains("same cost", StringComparison.Ordinal));
        Assert.Single(tuner.GetParetoFront().Points);
    }

    [Fact]
    public void Suggest_AllFailures_LogsAndSamplesAroundCenter()
    {
        var (tuner, logs) = NewTuner(new CarbsOptions { Seed = 1, NumRandomSamples = 0 });
        for (var i = 0; i < 6; i++)
        {
            tuner.Observe(new Observation(Point(0.1 * i, 0), 0, 1, IsFailure: true));
        }
        var batch = tuner.Suggest(2);
        Assert.All(batch, s => Assert.Equal(SuggestionPhase.Random, s.Phase));
        Assert.Contains(logs, l => l.Contains("No successful observation", StringComparison.Ordinal));
        Assert.Empty(tuner.GetParetoFront().Points);
    }

    [Fact]
    public void Suggest_SomeFailures_ReportsProbabilityOfSuccessBelowOne()
    {
        var (tuner, _) = NewTuner(new CarbsOptions { Seed = 2, ResampleFrequency = 0 });
        var rng = new Random(2);
        for (var i = 0; i < 30; i++)
        {
            var p = Point((rng.NextDouble() * 2) - 1, (rng.NextDouble() * 2) - 1);
            var (output, cost) = TunerFixtures.Quadratic(p);
            tuner.Observe(new Observation(p, output, cost, IsFailure: p["x"].Number > 0.2));
        }
        var s = tuner.Suggest()[0];
        Assert.NotNull(s.Terms);
        Assert.InRange(s.Terms.ProbabilityOfSuccess, 0.0, 1.0);
        var space = tuner.Space;
        Assert.True(tuner.Suggest(5).Average(x => x.Terms!.ProbabilityOfSuccess) < 1.0);
        _ = space;
    }

    [Fact]
    public void Suggest_SingleParetoPoint_StaysValid()
    {
        var (tuner, _) = NewTuner(new CarbsOptions { Seed = 3, NumRandomSamples = 1, ResampleFrequency = 0 });
        tuner.Observe(new Observation(Point(0.2, -0.1), 0.4, 2.0));
        Assert.Single(tuner.GetParetoFront().Points);
        AssertValidBayesian(tuner, 3);
    }

    [Fact]
    public void Observe_NaNOutput_RecordedAsFailureWithLogLine()
    {
        var (tuner, logs) = NewTuner();
        tuner.Observe(new Observation(Point(0, 0), double.NaN, double.NaN));
        tuner.Observe(new Observation(Point(0.1, 0), double.PositiveInfinity, 1));
        Assert.All(tuner.Observations, o => Assert.True(o.IsFailure));
        Assert.Equal(2, logs.Count(l => l.Contains("not finite", StringComparison.Ordinal)));
        for (var i = 0; i < 5; i++)
        {
            tuner.Observe(new Observation(Point(0.1 * i, 0.05 * i), i, 1 + i));
        }
        AssertValidBayesian(tuner);
        Assert.Equal(SuggestionPhase.Bayesian, tuner.Suggest()[0].Phase);
    }

    [Fact]
    public void Suggest_ZeroCost_LogsFloorAndStaysValid()
    {
        var (tuner, logs) = NewTuner(new CarbsOptions { Seed = 4, ResampleFrequency = 0, MaxSuggestionCost = 3 });
        for (var i = 0; i < 6; i++)
        {
            tuner.Observe(new Observation(Point(0.1 * i, -0.1 * i), 1.0 / (i + 1), i));
        }
        AssertValidBayesian(tuner);
        Assert.Contains(logs, l => l.Contains("zero cost", StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_AllOutputsEqual_LogsAndStaysValid()
    {
        var (tuner, logs) = NewTuner();
        for (var i = 0; i < 6; i++)
        {
            tuner.Observe(new Observation(Point(0.1 * i, 0.1), 3.0, 1 + i));
        }
        AssertValidBayesian(tuner);
        Assert.Contains(logs, l => l.Contains("outputs are equal", StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_CostCapBelowEverything_ReturnsNoSuggestionWithLogLine()
    {
        var (tuner, logs) = NewTuner(new CarbsOptions { Seed = 5, ResampleFrequency = 0, MaxSuggestionCost = 1e-9 });
        var rng = new Random(5);
        for (var i = 0; i < 8; i++)
        {
            var p = Point(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            var (output, cost) = TunerFixtures.Quadratic(p);
            tuner.Observe(new Observation(p, output, cost));
        }
        Assert.Empty(tuner.Suggest(2));
        Assert.Empty(tuner.Outstanding);
        Assert.Contains(logs, l => l.Contains("cost cap", StringComparison.Ordinal) && l.Contains("no suggestion", StringComparison.Ordinal));
    }
}
