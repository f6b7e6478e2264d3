using Levain.Tuning;
using Levain.Tuning.EarlyStopping;

namespace Levain.Tuning.Tests.EarlyStopping;

public sealed class FrontDominanceTests
{
    // A power-law learning curve in cost units: floor + (2.5 − floor)·(1 + c)^−0.8, reported at costs 1, 2, …, planned.
    private static IEnumerable<(double Cost, double Value)> Curve(double floor, int planned, Random? noise = null, double sd = 0.02)
    {
        for (var c = 1; c <= planned; c++)
        {
            var value = floor + ((2.5 - floor) * Math.Pow(1 + c, -0.8));
            yield return (c, value + (noise is null ? 0 : sd * Gaussian(noise)));
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static FrontDecision? Feed(FrontDominance rule, string trial, IEnumerable<(double Cost, double Value)> curve, double planned)
    {
        foreach (var (cost, value) in curve)
        {
            var decision = rule.Report(trial, cost, value, planned);
            if (decision.Stop) return decision;
        }
        return null;
    }

    [Fact]
    public void AClearlyBadCurve_IsStopped_WellBeforeItsEnd_AndTheDecisionSaysWhy()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 2), Direction.Minimize);
        Assert.Null(Feed(rule, "good", Curve(0.4, 30), 30));
        // Floor 1.2 against the front's 0.4 + …: far worse at equal cost long before cost 30.
        var stop = Feed(rule, "bad", Curve(1.2, 30), 30);
        Assert.NotNull(stop);
        Assert.True(stop.Stop);
        Assert.InRange(stop.Cost, 2, 15);
        Assert.Equal(30, stop.PlannedCost);
        Assert.True(stop.Projected > stop.Front, $"projected {stop.Projected} vs front {stop.Front}");
        Assert.Equal(rule.FrontAt(30)!.Value, stop.Front, 9);
        // After the decision the trial's reports are ignored.
        Assert.False(rule.Report("bad", 29, 9.0, 30).Stop);
    }

    [Fact]
    public void AStoppedCurve_CarriesItsProjectedFinalValue_BetweenTheJudgedValueAndTheCutOffValue_NearerTheEnd()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 2), Direction.Minimize);
        Assert.Null(Feed(rule, "good", Curve(0.4, 30), 30));
        var bad = Curve(1.2, 30).ToList();
        var stop = Feed(rule, "bad", bad, 30)!;
        var cutOff = bad.Single(p => p.Cost == stop.Cost).Value;
        var end = bad[^1].Value;
        // The estimate of the complete run's value: worse than the optimistic value judged, better than the loss where
        // the curve was cut, still worse than the front it lost to, and nearer the curve's true end than the cut-off
        // value the tuner used to be told.
        Assert.True(stop.ProjectedFinal > stop.Projected, $"estimate {stop.ProjectedFinal} vs judged {stop.Projected}");
        Assert.True(stop.ProjectedFinal < cutOff, $"estimate {stop.ProjectedFinal} vs cut-off {cutOff}");
        Assert.True(stop.ProjectedFinal > rule.FrontAt(30)!.Value, "a stopped curve's estimate beat the front it lost to");
        Assert.True(Math.Abs(stop.ProjectedFinal - end) < 0.5 * Math.Abs(cutOff - end), $"estimate {stop.ProjectedFinal}, end {end}, cut-off {cutOff}");
        Assert.Equal(stop.ProjectedFinal, rule.ProjectFinal("bad", 30)!.Value, 12);
        Assert.True(double.IsNaN(FrontDecision.Continue.ProjectedFinal));
    }

    [Fact]
    public void ProjectFinal_IsTheLineInLogCostThroughTheWindow_AndNullWithoutEnoughPoints()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 1, Window: 3), Direction.Minimize);
        Assert.Null(rule.ProjectFinal("unknown", 50));
        // v = 2 − 0.3 ln c exactly: the line reaches 2 − 0.3 ln 50 at cost 50 (the optimistic bound) and is at
        // 2 − 0.3 ln 12 now (the pessimistic one); the estimate is their midpoint.
        for (var c = 1; c <= 12; c++) rule.Report("line", c, 2 - (0.3 * Math.Log(c)));
        Assert.Equal(2 - (0.15 * (Math.Log(50) + Math.Log(12))), rule.ProjectFinal("line", 50)!.Value, 9);
        // A curve getting worse is held flat at its fit at its last cost, not projected upward.
        for (var c = 1; c <= 12; c++) rule.Report("worse", c, 1 + (0.1 * Math.Log(c)));
        Assert.Equal(1 + (0.1 * Math.Log(12)), rule.ProjectFinal("worse", 50)!.Value, 9);
        // Two points in the window [c/3, c] are not a line to project.
        rule.Report("short", 10, 1.0);
        rule.Report("short", 20, 0.9);
        Assert.Null(rule.ProjectFinal("short", 50));
        Assert.Null(rule.ProjectFinal("line", double.NaN));
        // Maximising: the same line, in the metric's own sign.
        var max = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Maximize);
        for (var c = 1; c <= 12; c++) max.Report("line", c, -2 + (0.3 * Math.Log(c)));
        Assert.Equal(-2 + (0.15 * (Math.Log(50) + Math.Log(12))), max.ProjectFinal("line", 50)!.Value, 9);
    }

    [Fact]
    public void StoppedRunObservation_IsPartial_AtThePlannedCost_WithTheProjectedValue()
    {
        var parameters = new Dictionary<string, Levain.Tuning.Spaces.ParamValue> { ["lr"] = Levain.Tuning.Spaces.ParamValue.FromNumber(0.3) };
        var observation = StoppedRunObservation.Create(parameters, 0.71, 108, "s-7");
        Assert.True(observation.IsPartial);
        Assert.False(observation.IsCompleteSuccess);
        Assert.Equal(0.71, observation.Output);
        Assert.Equal(108, observation.Cost);
        Assert.Equal("s-7", observation.SuggestionId);
        Assert.Same(parameters, observation.Parameters);
        Assert.Throws<ArgumentOutOfRangeException>(() => StoppedRunObservation.Create(parameters, double.NaN, 108, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => StoppedRunObservation.Create(parameters, 0.7, 0, null));
    }

    [Fact]
    public void NearEqualNoisyCurves_AreNotStopped()
    {
        // Twenty runs of the same configuration, noise sd 0.02 per point: no curve is worse than the front beyond the
        // noise, so none may be stopped (a rule that compared raw values, or took the front's noisy minimum at face
        // value, stops several of them).
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
        var noise = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            var stop = Feed(rule, $"run-{i}", Curve(0.5, 27, noise).ToList(), 27);
            Assert.True(stop is null, $"run {i} stopped at cost {stop?.Cost}: projected {stop?.Projected} vs front {stop?.Front}");
        }
        // The same curves judged without the noise margin and with an unsmoothed front: some are stopped on noise.
        var naive = new FrontDominance(new FrontDominanceOptions(MinCost: 1, Confidence: 0, SmoothingPoints: 1, NoiseFloor: 0), Direction.Minimize);
        noise = new Random(7);
        var stopped = Enumerable.Range(0, 20).Count(i => Feed(naive, $"run-{i}", Curve(0.5, 27, noise).ToList(), 27) is not null);
        Assert.True(stopped > 0, "the naive rule stopped none: this test could not tell a noise-blind rule apart");
    }

    [Fact]
    public void ALargeRunBehindSmallRunsAtEqualCost_IsNotStopped_WhenItsProjectionBeatsTheFront()
    {
        // Small runs end at cost 10 with about 0.9; a large run with a better floor is behind them at cost 10 (it has
        // done fewer epochs), but its curve projects well below anything the front holds at its planned cost 100.
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
        for (var i = 0; i < 5; i++) Assert.Null(Feed(rule, $"small-{i}", Curve(0.7, 10), 10));
        var large = Enumerable.Range(1, 100).Select(c => ((double)c, 0.3 + (2.2 * Math.Pow(1 + (c / 10.0), -0.8)))).ToList();
        Assert.True(large[9].Item2 > rule.FrontAt(10)!.Value); // behind at equal cost …
        Assert.Null(Feed(rule, "large", large, 100));          // … and not stopped
    }

    [Fact]
    public void NothingIsJudged_BeforeMinCost_WithoutPlannedCost_OrWithoutAFrontAtThePlannedCost()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 20), Direction.Minimize);
        Assert.Null(Feed(rule, "good", Curve(0.4, 30), 30));
        Assert.Null(Feed(rule, "bad-early", Curve(1.5, 19), 30));      // stops reporting before min_cost
        var rule2 = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
        Assert.Null(Feed(rule2, "good", Curve(0.4, 30), 30));
        foreach (var (cost, value) in Curve(1.5, 30))
        {
            Assert.False(rule2.Report("no-plan", cost, value).Stop);       // no planned cost
        }
        var rule3 = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
        Assert.Null(Feed(rule3, "expensive", Curve(0.4, 30).Select(p => (p.Cost + 100, p.Value)), 130));
        Assert.Null(rule3.FrontAt(100));
        Assert.Null(Feed(rule3, "cheap-bad", Curve(1.5, 30), 30));     // the front started at cost 101
    }

    [Fact]
    public void Maximize_IsTheMirrorImage()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 2), Direction.Maximize);
        Assert.Null(Feed(rule, "good", Curve(0.4, 30).Select(p => (p.Cost, -p.Value)), 30));
        var stop = Feed(rule, "bad", Curve(1.2, 30).Select(p => (p.Cost, -p.Value)), 30);
        Assert.NotNull(stop);
        Assert.True(stop.Projected < stop.Front);
        Assert.True(rule.FrontAt(30) < -0.4);
    }

    [Fact]
    public void TheSameReportsInTheSameOrder_GiveTheSameDecisions()
    {
        static List<string> Run()
        {
            var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
            var noise = new Random(3);
            var decisions = new List<string>();
            for (var i = 0; i < 12; i++)
            {
                var floor = 0.4 + (0.1 * (i % 5));
                var stop = Feed(rule, $"t{i}", Curve(floor, 10 + (3 * i), noise).ToList(), 10 + (3 * i));
                decisions.Add(stop is null ? "ran" : $"stopped at {stop.Cost}");
            }
            return decisions;
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.Contains(first, d => d.StartsWith("stopped", StringComparison.Ordinal)); // the replay covers stops, too
    }

    [Fact]
    public void NonFiniteReports_AreIgnored()
    {
        var rule = new FrontDominance(new FrontDominanceOptions(MinCost: 1), Direction.Minimize);
        Assert.False(rule.Report("a", double.NaN, 1, 10).Stop);
        Assert.False(rule.Report("a", 5, double.PositiveInfinity, 10).Stop);
        Assert.False(rule.Report("a", -1, 1, 10).Stop);
        Assert.Null(rule.FrontAt(100));
    }

    [Theory]
    [InlineData(0, 3, 2, 4)]
    [InlineData(1, 1.2, 2, 4)]
    [InlineData(1, 3, -1, 4)]
    [InlineData(1, 3, 2, 2)]
    [InlineData(double.NaN, 3, 2, 4)]
    public void BadOptions_AreRefused(double minCost, double window, double confidence, int minPoints) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontDominance(new FrontDominanceOptions(minCost, window, confidence, minPoints), Direction.Minimize));
}
