using CsCheck;
using Levain.Bench.Tuner.Runs;

namespace Levain.Bench.Tests.Tuner.Runs;

public sealed class RegretBookkeepingTests
{
    // Hand-made trace, optimum 1.0. Cumulative costs: 2, 5, 6, 10, 12.
    private static readonly TraceEntry[] Trace =
    [
        new(Cost: 2, ObservedValue: 5.0, NoiseFreeValue: 4.0),
        new(Cost: 3, ObservedValue: 3.0, NoiseFreeValue: 3.5),  // best observed from cumulative cost 5
        new(Cost: 1, ObservedValue: 3.0, NoiseFreeValue: 1.0),  // ties with the earlier point: the earlier stays best
        new(Cost: 4, ObservedValue: 2.5, NoiseFreeValue: 2.75), // best observed from cumulative cost 10
        new(Cost: 2, ObservedValue: 1.2, NoiseFreeValue: 1.1),  // best, but only within a budget of 12
    ];

    [Theory]
    [InlineData(1.0, double.PositiveInfinity)] // nothing completed
    [InlineData(2.0, 3.0)]                     // budget equal to the cumulative cost counts
    [InlineData(4.99, 3.0)]
    [InlineData(5.0, 2.5)]
    [InlineData(9.0, 2.5)]                     // the tie at cost 6 does not replace the earlier point
    [InlineData(10.0, 1.75)]
    [InlineData(11.9, 1.75)]
    [InlineData(12.0, 0.1)]
    [InlineData(100.0, 0.1)]
    public void RegretAt_HandMadeTrace_UsesNoiseFreeValueOfBestObservedWithinBudget(double budget, double expected)
    {
        var regret = RegretBookkeeping.RegretAt(Trace, budget, optimum: 1.0);

        if (double.IsPositiveInfinity(expected))
        {
            Assert.True(double.IsPositiveInfinity(regret));
        }
        else
        {
            Assert.Equal(expected, regret, 1e-12);
        }
    }

    [Fact]
    public void RegretAt_NamedAnswer_IsTheAnswerAfterTheLastEvaluationWithinTheBudget()
    {
        // The method names its answer after each evaluation; the best observed (entry 2, noise-free 3.5) is not it.
        TraceEntry[] trace =
        [
            new(Cost: 2, ObservedValue: 5.0, NoiseFreeValue: 4.0) { AnswerNoiseFreeValue = 4.0, AnswerCost = 2 },
            new(Cost: 3, ObservedValue: 3.0, NoiseFreeValue: 3.5) { AnswerNoiseFreeValue = 4.0, AnswerCost = 2 },
            new(Cost: 1, ObservedValue: 3.2, NoiseFreeValue: 1.5) { AnswerNoiseFreeValue = 1.5, AnswerCost = 1 },
        ];

        Assert.Equal(3.0, RegretBookkeeping.RegretAt(trace, 5.5, optimum: 1.0), 1e-12);
        Assert.Equal(0.5, RegretBookkeeping.RegretAt(trace, 6.0, optimum: 1.0), 1e-12);
        Assert.Equal((1.5, 1.0), RegretBookkeeping.ReportedWithin(trace, 100.0));
        Assert.Null(RegretBookkeeping.ReportedWithin(trace, 1.0));
    }

    [Fact]
    public void BestWithin_HandMadeTrace_IsTheEntryWhoseCostIsReported()
    {
        Assert.Null(RegretBookkeeping.BestWithin(Trace, 1.0));
        Assert.Equal(Trace[1], RegretBookkeeping.BestWithin(Trace, 9.0));
        Assert.Equal(Trace[3], RegretBookkeeping.BestWithin(Trace, 10.0));
    }

    [Fact]
    public void RegretsAt_QuarterHalfFull_MatchesSingleBudgets()
    {
        var regrets = RegretBookkeeping.RegretsAt(Trace, [3.0, 6.0, 12.0], optimum: 1.0);

        Assert.Equal([3.0, 2.5, 0.1], regrets.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void RegretAt_LargerBudget_NeverRaisesTheBestObservedValue()
    {
        // Regret itself may rise (the noisy best-observed point can be worse noise-free), but the best observed
        // value within the budget never gets worse as the budget grows.
        var entry = Gen.Select(Gen.Double[0.01, 5], Gen.Double[-10, 10]).Select((c, v) => new TraceEntry(c, v, v));
        Gen.Select(entry.Array[1, 30], Gen.Double[0, 60], Gen.Double[0, 60]).Sample((trace, b1, b2) =>
        {
            var (small, large) = b1 <= b2 ? (b1, b2) : (b2, b1);
            return RegretBookkeeping.RegretAt(trace, large, 0.0) <= RegretBookkeeping.RegretAt(trace, small, 0.0);
        });
    }
}
