using System.Text.Json;
using Levain.Bench.Tuner;
using Levain.Bench.Tuner.Latency;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Reporting;
using Levain.Bench.Tuner.Runs;
using static Levain.Bench.Tests.Tuner.ScriptedMethod;

namespace Levain.Bench.Tests.Tuner;

public sealed class TunerBenchmarkTests
{
    private static readonly TunerBenchSettings Tiny = TunerBenchSettings.Quick with
    {
        SeedCount = 3,
        BudgetScale = 0.1, // height-with-cost: 30 cost units
        LatencyObservationCounts = [10, 20],
        LatencyWarmCalls = 1,
    };

    private static TunerBenchReport RunTiny(ScriptedMethod levain, ScriptedMethod random) =>
        TunerBenchmark.Run(Tiny, [new HeightWithCostProblem()], [levain, random],
            [new MethodInfo("levain", "scripted", true), new MethodInfo("random", "scripted", true)],
            (n, calls) => new LatencyPoint(10, n, 0.2, 0.1, [.. Enumerable.Repeat(0.1, calls)]), TimeProvider.System);

    [Fact]
    public void Run_TwoMethods_ReportsRegretsPerBudgetAndSeed()
    {
        var report = RunTiny(
            new ScriptedMethod("levain", Height(20, -100, 100), Height(20, -90, 100)),
            new ScriptedMethod("random", Height(0, 0, 1)));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(30.0, problem.TotalBudget, 1e-12);
        Assert.Equal([0.25, 0.5, 1.0], problem.Methods[0].Budgets.Select(b => b.Fraction));
        Assert.Equal([7.5, 15.0, 30.0], problem.Methods[0].Budgets.Select(b => b.Budget));
        // The first levain point costs 100·(0.1 + 0.05·sin(−2000)) ≈ 5.35 and is the optimum: regret 0 at every budget.
        Assert.All(problem.Methods[0].Budgets, b => Assert.All(b.Regrets, r => Assert.Equal(0.0, r!.Value, 1e-12)));
        // random always evaluates w = 0, h = 0, e = 1: L = 10 at cost 0.1.
        var expected = 10.0 - HeightWithCostProblem.KnownOptimum;
        Assert.All(problem.Methods[1].Budgets, b => Assert.Equal(expected, b.Median!.Value, 1e-12));
        Assert.Equal(3, problem.Methods[1].Budgets[0].Regrets.Count);
        Assert.All(problem.Methods[1].Evaluations, n => Assert.Equal(300, n));
        Assert.Equal([10, 20], report.SuggestLatency.Select(p => p.Observations));
        Assert.All(problem.Methods[1].Budgets, b => Assert.Equal(0.1, b.MedianBestPointCost!.Value, 1e-12));
    }

    [Fact]
    public void Run_LevainWorseThanRandom_ComparisonSaysWhereWithNumbers()
    {
        var report = RunTiny(
            new ScriptedMethod("levain", Height(0, 0, 1)),
            new ScriptedMethod("random", Height(20, -100, 100)));

        Assert.Equal(3, report.LevainVersusRandom.Count);
        Assert.All(report.LevainVersusRandom, c => Assert.False(c.IsLevainBelow));
        var text = ConsoleReport.Render(report);
        Assert.Contains("NOT below random search's at: height-with-cost 25 % (levain 20 vs random 0)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_NothingWithinTheSmallestBudget_IsNullInJsonAndInfInTheTable()
    {
        var expensive = new RunResult("p", "m", 0, [new TraceEntry(Cost: 10, ObservedValue: 1, NoiseFreeValue: 1)], 10, 0, 0, false);

        var results = TunerBenchmark.Summarize("m", [expensive], [0.25, 1.0], [2.5, 10.0], optimum: 0.0);

        Assert.Null(results.Budgets[0].Median);
        Assert.Equal([null], results.Budgets[0].Regrets);
        Assert.Equal(1.0, results.Budgets[1].Median);
        Assert.Equal("inf", ConsoleReport.Format(results.Budgets[0].Median));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(results, TunerBench.JsonOptions));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("budgets")[0].GetProperty("median").ValueKind);
    }

    [Fact]
    public void Summarize_RunBrokenByThePeer_IsListedAsAnErrorNotAsARegret()
    {
        var good = new RunResult("p", "tpe", 0, [new TraceEntry(1, 2, 2)], 1, 0, 0, false);
        var broken = new RunResult("p", "tpe", 1, [new TraceEntry(1, 5, 5)], 1, 0, 0, false, "'ask': the peer exited");

        var results = TunerBenchmark.Summarize("tpe", [good, broken], [1.0], [1.0], optimum: 0.0);

        Assert.Equal([2.0], results.Budgets[0].Regrets);
        Assert.Equal(["seed 1: 'ask': the peer exited"], results.Errors);
    }

    [Fact]
    public void BudgetOverrun_WorstSeedAgainstItsCheapestTrial()
    {
        static RunResult Run(int seed, params double[] costs) =>
            new("p", "m", seed, [.. costs.Select(c => new TraceEntry(c, 1.0, 1.0))], costs.Sum(), 0, 0, false);
        // Budget 10: seed 0 spends 9 (under), seed 1 spends 11 with a cheapest trial of 2 (within one cheapest trial),
        // seed 2 spends 14 with a cheapest trial of 3 (beyond it: 4 > 3).
        var overrun = BudgetOverrun.Of([Run(0, 4, 5), Run(1, 2, 9), Run(2, 3, 11)], 10.0)!;
        Assert.Equal([-1.0, 1.0, 4.0], overrun.Overruns);
        Assert.Equal([4.0, 2.0, 3.0], overrun.CheapestTrialCosts);
        Assert.Equal(4.0, overrun.MaxOverrun);
        Assert.Equal(2, overrun.MaxOverrunSeed);
        Assert.Equal(3.0, overrun.MaxOverrunCheapestTrialCost);
        Assert.Equal(1, overrun.SeedsBeyondOneCheapestTrial);
        Assert.False(overrun.IsWithinOneCheapestTrial);
        Assert.True(BudgetOverrun.Of([Run(0, 4, 5), Run(1, 2, 9)], 10.0)!.IsWithinOneCheapestTrial);
        Assert.Null(BudgetOverrun.Of([], 10.0));
    }

    [Fact]
    public void Run_ReportsTheBudgetOverrunOfEveryMethod_InTheTableAndTheJson()
    {
        var report = RunTiny(new ScriptedMethod("levain", Height(0, 10, 10)), new ScriptedMethod("random", Height(0, -10, 20)));
        var random = report.Problems[0].Methods.Single(m => m.Method == "random");
        // Each random trial costs 2 and the budget is 30: it ends exactly on it.
        Assert.Equal(0.0, random.Overrun!.MaxOverrun, 9);
        Assert.True(random.Overrun.IsWithinOneCheapestTrial);
        Assert.Contains("budget overrun", ConsoleReport.Render(report));
        Assert.Contains("no study beyond its budget by more than one cheapest trial", ConsoleReport.Render(report));
        Assert.Contains("\"maxOverrun\"", JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    }
}
