using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;
using Levain.Tuning.Spaces;
using static Levain.Bench.Tests.Tuner.ScriptedMethod;

namespace Levain.Bench.Tests.Tuner.Runs;

public sealed class SearchRunTests
{
    [Fact]
    public void Execute_BudgetReached_StopsAfterTheEvaluationThatCrossesIt()
    {
        // w = 0 makes sin(w·h) = 0, so each point costs exactly 0.1·e: 1, 2, 1, 2, ... → cumulative 1, 3, 4, 6, 7.
        var method = new ScriptedMethod("scripted", Height(0, 10, 10), Height(0, -10, 20));

        var run = SearchRun.Execute(new HeightWithCostProblem(), method, seed: 0, budget: 6.5, maxEvaluations: 100);

        Assert.Equal(5, run.Trace.Count);
        Assert.Equal(7.0, run.SpentCost, 1e-12);
        Assert.False(run.HitEvaluationCap);
        Assert.Equal(5, method.Told.Count);
        Assert.Equal(10.0 + 1.0, run.Trace[0].ObservedValue, 1e-12);   // 1/0.1 + 0.1·10
    }

    [Fact]
    public void Execute_EvaluationCap_StopsAndFlagsTheRun()
    {
        var method = new ScriptedMethod("scripted", Height(0, 0, 1));

        var run = SearchRun.Execute(new HeightWithCostProblem(), method, seed: 0, budget: 1000, maxEvaluations: 7);

        Assert.Equal(7, run.Trace.Count);
        Assert.True(run.HitEvaluationCap);
    }

    [Fact]
    public void Execute_SameProblemAndSeed_DrawsTheSameNoiseForEveryMethod()
    {
        var x = MfHartmann6Problem.KnownMinimizer;
        var lowFidelity = x.Select((v, j) => ($"x{j + 1}", v)).Append(("z", 5.0))
            .ToDictionary(p => p.Item1, p => ParamValue.FromNumber(p.Item2), StringComparer.Ordinal);
        var problem = new MfHartmann6Problem();

        var first = SearchRun.Execute(problem, new ScriptedMethod("a", lowFidelity), seed: 4, budget: 1, maxEvaluations: 10);
        var second = SearchRun.Execute(problem, new ScriptedMethod("b", lowFidelity), seed: 4, budget: 1, maxEvaluations: 10);
        var otherSeed = SearchRun.Execute(problem, new ScriptedMethod("a", lowFidelity), seed: 5, budget: 1, maxEvaluations: 10);

        Assert.Equal(first.Trace, second.Trace);
        Assert.NotEqual(first.Trace.Select(t => t.ObservedValue), otherSeed.Trace.Select(t => t.ObservedValue));
        Assert.All(first.Trace, t => Assert.True(t.ObservedValue > t.NoiseFreeValue)); // |ε|·σ·(1 − s) > 0 almost surely
    }

    [Fact]
    public void NoiseSeed_DifferentProblemsOrSeeds_Differ()
    {
        Assert.Equal(SearchRun.NoiseSeed("p", 1), SearchRun.NoiseSeed("p", 1));
        Assert.NotEqual(SearchRun.NoiseSeed("p", 1), SearchRun.NoiseSeed("p", 2));
        Assert.NotEqual(SearchRun.NoiseSeed("p", 1), SearchRun.NoiseSeed("q", 1));
    }
}
