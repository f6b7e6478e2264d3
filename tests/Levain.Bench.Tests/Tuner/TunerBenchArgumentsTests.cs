using Levain.Bench.Tuner;

namespace Levain.Bench.Tests.Tuner;

public sealed class TunerBenchArgumentsTests
{
    private static readonly string[] Problems = ["mf-hartmann6", "augmented-branin", "height-with-cost"];

    [Fact]
    public void Parse_NoOptions_IsTheFullRun()
    {
        var parsed = TunerBenchArguments.Parse([], Problems);

        Assert.Equal(TunerBenchSettings.Full, parsed.Settings);
        Assert.True(parsed.Settings!.SeedCount >= 10);
        Assert.Equal([10, 100, 300, 1000], parsed.Settings.LatencyObservationCounts);
    }

    [Fact]
    public void Parse_QuickWithSeedsAndJson_OverridesTheQuickDefaults()
    {
        var parsed = TunerBenchArguments.Parse(["--seeds", "4", "--quick", "--json", "out.json", "--methods", "random,tpe", "--exploration-bias", "0.3"], Problems);

        Assert.Equal("quick", parsed.Settings!.Mode);
        Assert.Equal(4, parsed.Settings.SeedCount);
        Assert.Equal("out.json", parsed.Settings.JsonPath);
        Assert.Equal(["random", "tpe"], parsed.Settings.Methods!);
        Assert.Equal(0.3, parsed.Settings.ExplorationBias);
    }

    [Theory]
    [InlineData("--seeds", "0", "--seeds needs a whole number")]
    [InlineData("--seeds", "ten", "--seeds needs a whole number")]
    [InlineData("--problems", "rosenbrock", "unknown problem 'rosenbrock'")]
    [InlineData("--methods", "levain,smac", "unknown method 'smac'")]
    [InlineData("--exploration-bias", "-1", "--exploration-bias needs a finite number")]
    [InlineData("--frobnicate", null, "unknown option '--frobnicate'")]
    [InlineData("--json", null, "--json needs a value")]
    [InlineData("--levain-answer", "best", "--levain-answer needs 'predicted' or 'observed'")]
    public void Parse_BadOption_IsOneClearError(string option, string? value, string expected)
    {
        string[] args = value is null ? [option] : [option, value];

        var parsed = TunerBenchArguments.Parse(args, Problems);

        Assert.Null(parsed.Settings);
        Assert.Contains(expected, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Help_IsHelp()
    {
        Assert.True(TunerBenchArguments.Parse(["--help"], Problems).IsHelp);
    }

    [Fact]
    public void Parse_HeldOutAlias_NamesEveryHeldOutProblem()
    {
        var parsed = TunerBenchArguments.Parse(["--problems", "held-out,augmented-branin", "--first-seed", "1000"], [.. Problems, "mf-hartmann3", "exp-curve"], ["mf-hartmann3", "exp-curve"]);

        Assert.Equal(["mf-hartmann3", "exp-curve", "augmented-branin"], parsed.Settings!.Problems!);
        Assert.Equal(1000, parsed.Settings.FirstSeed);
        Assert.True(parsed.Settings.LevainReportsPrediction);
    }

    [Fact]
    public void Parse_LevainAnswerObserved_ReportsTheBestObservedPoint()
    {
        Assert.False(TunerBenchArguments.Parse(["--levain-answer", "observed"], Problems).Settings!.LevainReportsPrediction);
    }
}
