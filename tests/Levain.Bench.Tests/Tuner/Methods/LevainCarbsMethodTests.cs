using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;

namespace Levain.Bench.Tests.Tuner.Methods;

public sealed class LevainCarbsMethodTests
{
    [Fact]
    public void Execute_BraninSmallBudget_StaysInTheBoxAndImprovesOnTheCenter()
    {
        var problem = new AugmentedBraninProblem();
        var method = new LevainCarbsMethod();

        var run = SearchRun.Execute(problem, method, seed: 2, budget: 150, maxEvaluations: 100);

        // Every point was evaluated (the problem throws on points outside its box), the budget was spent.
        Assert.InRange(run.Trace.Count, 25, 30);
        var atCenter = AugmentedBraninProblem.Value(2.5, 7.5, 0.5);
        Assert.True(RegretBookkeeping.RegretAt(run.Trace, 150, problem.OptimumValue) < atCenter - problem.OptimumValue,
            "the tuner should find a better point than the search center");
    }

    [Fact]
    public void Execute_SameSeed_SameTrace()
    {
        var problem = new HeightWithCostProblem();

        var first = SearchRun.Execute(problem, new LevainCarbsMethod(), seed: 3, budget: 20, maxEvaluations: 30);
        var second = SearchRun.Execute(problem, new LevainCarbsMethod(), seed: 3, budget: 20, maxEvaluations: 30);

        Assert.Equal(first.Trace, second.Trace);
    }

    [Fact]
    public void Ask_TwiceWithoutTell_IsMisuse()
    {
        using var session = new LevainCarbsMethod().Start(new HeightWithCostProblem(), seed: 0);
        session.Ask(double.PositiveInfinity, 0);

        Assert.Throws<InvalidOperationException>(() => session.Ask(double.PositiveInfinity, 0));
    }
}
