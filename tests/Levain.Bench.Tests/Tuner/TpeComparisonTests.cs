using System.Text.Json;
using Levain.Bench.Tuner;
using Levain.Bench.Tuner.Latency;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Reporting;
using Levain.Bench.Tuner.Runs;
using static Levain.Bench.Tests.Tuner.ScriptedMethod;

namespace Levain.Bench.Tests.Tuner;

public sealed class TpeComparisonTests
{
    /// <summary>A run of one evaluation of the given regret (optimum 0) at cost 1.</summary>
    private static RunResult Run(string method, int seed, double regret, string? error = null) =>
        new("p", method, seed, [new TraceEntry(1.0, regret, regret)], 1.0, 0, 0, false, error);

    [Fact]
    public void CompareWithTpe_PairsBySeed_TheIntervalOfAnExactlyProportionalPairIsThePointItself()
    {
        // Levain's regret is half TPE's on every seed: every paired resample has the ratio 0.5. Resampling the methods
        // apart (unpaired) would spread it, e.g. levain {1, 1, 1} against TPE {6, 6, 6} is 1/6.
        double[] tpe = [2, 4, 6, 40, 0.5];
        var comparison = TunerBenchmark.CompareWithTpe("p", [.. tpe.Select((t, s) => Run("levain", s, t / 2))], [.. tpe.Select((t, s) => Run("tpe", s, t))], 0.25, 1.0, 0.0);
        Assert.Equal(5, comparison.Seeds);
        Assert.Equal(2.0, comparison.LevainMedian!.Value, 12);
        Assert.Equal(4.0, comparison.TpeMedian!.Value, 12);
        Assert.Equal(0.5, comparison.Ratio!.Value, 12);
        Assert.Equal(0.5, comparison.RatioLow!.Value, 12);
        Assert.Equal(0.5, comparison.RatioHigh!.Value, 12);
        Assert.True(comparison.MeetsBar);
    }

    [Fact]
    public void CompareWithTpe_AboveTheBar_AndTheIntervalSpreadsWhenTheSeedsDisagree()
    {
        // Seeds where Levain is far better and seeds where it is worse: median ratio 0.9, and a resample can land on
        // either side of the bar.
        double[] levain = [0.5, 0.9, 1.0, 3.0, 5.0, 0.2, 0.1, 6.0];
        double[] tpe = [2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 1.0];
        var comparison = TunerBenchmark.CompareWithTpe("p", [.. levain.Select((l, s) => Run("levain", s, l))], [.. tpe.Select((t, s) => Run("tpe", s, t))], 1.0, 1.0, 0.0);
        Assert.Equal(0.95 / 1.0, comparison.Ratio!.Value, 12);
        Assert.False(comparison.MeetsBar);
        Assert.True(comparison.RatioLow < 0.8, $"low end {comparison.RatioLow}");
        Assert.True(comparison.RatioHigh > 1.0, $"high end {comparison.RatioHigh}");
    }

    [Fact]
    public void CompareWithTpe_LeavesOutSeedsEitherMethodBroke_AndHasNoRatioOverAZeroMedian()
    {
        var comparison = TunerBenchmark.CompareWithTpe("p",
            [Run("levain", 0, 1.0), Run("levain", 1, 100.0, error: "peer died"), Run("levain", 2, 1.0), Run("levain", 3, 1.0)],
            [Run("tpe", 0, 2.0), Run("tpe", 1, 2.0), Run("tpe", 2, 2.0, error: "peer died")], 0.5, 1.0, 0.0);
        Assert.Equal(1, comparison.Seeds); // seed 0 only: 1 and 2 broke, 3 has no TPE run
        Assert.Equal(0.5, comparison.Ratio!.Value, 12);

        var zero = TunerBenchmark.CompareWithTpe("p", [Run("levain", 0, 0.0), Run("levain", 1, 0.1)], [Run("tpe", 0, 0.0), Run("tpe", 1, 0.0)], 0.5, 1.0, 0.0);
        Assert.Null(zero.Ratio);
        Assert.Null(zero.RatioLow);
        Assert.False(zero.MeetsBar);
        var none = TunerBenchmark.CompareWithTpe("p", [Run("levain", 0, 1.0)], [], 0.5, 1.0, 0.0);
        Assert.Equal(0, none.Seeds);
        Assert.Null(none.LevainMedian);
    }

    [Fact]
    public void Render_OneRowPerProblem_MarksTheCellsAboveTheBarAndCountsThem()
    {
        TpeComparison[] cells =
        [
            new("mf-hartmann6", 0.25, 20, 2.29, 2.44, 0.9385, 0.78, 1.12, false),
            new("mf-hartmann6", 1.0, 20, 0.416, 0.878, 0.4738, 0.35, 0.6, true),
            new("chinchilla", 0.25, 20, 0.4, 0.0, null, null, null, false),
            new("chinchilla", 1.0, 20, 0.11, 0.203, 0.5419, null, null, true),
        ];
        var text = ConsoleReport.RenderTpeComparison(cells, [0.25, 1.0]);
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("mf-hartmann6", StringComparison.Ordinal) && l.Contains("0.94x [0.78, 1.12] *", StringComparison.Ordinal)
            && l.Contains("0.47x [0.35, 0.60]", StringComparison.Ordinal) && !l.Contains("0.60] *", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("chinchilla", StringComparison.Ordinal) && l.Contains("n/a (0.4 vs 0)", StringComparison.Ordinal)
            && l.Contains("0.54x", StringComparison.Ordinal));
        Assert.Contains("2 of 4 cells at or below 0.8x TPE; above: mf-hartmann6 25 % (2.29 vs 2.44); chinchilla 25 % (0.4 vs 0).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithLevainAndTpe_ReportsTheComparisonInTheTableAndTheJson_WithoutTpeNone()
    {
        var settings = TunerBenchSettings.Quick with { SeedCount = 3, BudgetScale = 0.1, LatencyObservationCounts = [] };
        TunerBenchReport Run(string peer) => TunerBenchmark.Run(settings, [new HeightWithCostProblem()],
            [new ScriptedMethod("levain", Height(20, -100, 100)), new ScriptedMethod(peer, Height(0, 0, 1))],
            [new MethodInfo("levain", "scripted", true), new MethodInfo(peer, "scripted", true)], null, TimeProvider.System);

        var report = Run("tpe");
        Assert.Equal([0.25, 0.5, 1.0], report.LevainVersusTpe.Select(c => c.Fraction));
        Assert.All(report.LevainVersusTpe, c => Assert.Equal(0.0, c.Ratio!.Value, 12)); // Levain's first point is the optimum
        Assert.Contains("3 of 3 cells at or below 0.8x TPE.", ConsoleReport.Render(report), StringComparison.Ordinal);
        Assert.Contains("\"levainVersusTpe\"", JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }), StringComparison.Ordinal);

        var withoutTpe = Run("random");
        Assert.Empty(withoutTpe.LevainVersusTpe);
        Assert.DoesNotContain("over TPE's", ConsoleReport.Render(withoutTpe), StringComparison.Ordinal);
    }
}
