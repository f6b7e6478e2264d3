using Levain.Bench.Tuner;
using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Methods;

public sealed class EarlyStoppingMethodTests
{
    [Fact]
    public void LearningCurve_CurveEndsAtTheFullEvaluation_WithCumulativeCost()
    {
        var problem = new LearningCurveProblem();
        var point = new Dictionary<string, ParamValue> { ["w"] = ParamValue.FromNumber(128), ["t"] = ParamValue.FromNumber(9), ["lr"] = ParamValue.FromNumber(0.01) };
        var curve = problem.Curve(point, new Random(1));
        Assert.Equal(9, curve.Count);
        Assert.Equal(Enumerable.Range(1, 9).Select(e => 128.0 * e / 64), curve.Select(c => c.Cost));
        Assert.Equal(problem.NoiseFreeValue(point), curve[^1].NoiseFreeValue, 12);
        Assert.Equal(problem.Cost(point), curve[^1].Cost, 12);
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.Second.NoiseFreeValue < p.First.NoiseFreeValue)); // loss falls with epochs
    }

    [Fact]
    public void Execute_StopsSomeRunsEarly_AndTheTuneLoopGoesOn()
    {
        var problem = new LearningCurveProblem();
        var method = new EarlyStoppingMethod(new LevainCarbsMethod(), new EarlyStoppingOptions(1.0, 3.0, 3));
        var run = SearchRun.Execute(problem, method, seed: 1, budget: 1500, maxEvaluations: 300);
        var plain = SearchRun.Execute(problem, new LevainCarbsMethod(), seed: 1, budget: 1500, maxEvaluations: 300);
        Assert.Null(run.Error);
        Assert.True(run.EarlyStopped > 0, "no run was stopped early");
        Assert.Equal(0, plain.EarlyStopped);
        Assert.False(run.HitEvaluationCap);
        Assert.True(run.SpentCost <= 1500 + 1296, $"spent {run.SpentCost}");
    }

    [Fact]
    public void FractionToMatch_IsTheFirstBudgetWhereTheMedianRegretReachesTheReference()
    {
        static RunResult Run(params (double Cost, double Value)[] trace) =>
            new("p", "m", 0, [.. trace.Select(t => new TraceEntry(t.Cost, t.Value, t.Value))], trace.Sum(t => t.Cost), 0, 0, false);
        // The reference reaches regret 1.0 at the full budget 100; the candidate reaches 1.0 after spending 30.
        var reference = new[] { Run((50, 2.0), (50, 1.0)) };
        var candidate = new[] { Run((10, 3.0), (20, 1.0), (70, 0.5)) };
        Assert.Equal(0.30, TunerBenchmark.FractionToMatch(candidate, reference, 100, 0.0)!.Value, 9);
        Assert.Null(TunerBenchmark.FractionToMatch([Run((100, 5.0))], reference, 100, 0.0));
        Assert.Equal(0.30, TunerBenchmark.FractionToMatch(candidate, reference, 100, 0.0, referenceFraction: 0.5)!.Value, 9); // reference: 2.0 at 50; candidate: 3.0 until 30
    }
}
