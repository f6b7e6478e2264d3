namespace Levain.Bench.Tuner.Runs;

/// <summary>
/// Simple regret at a cumulative-cost budget: the noise-free value, at its own fidelity, of the point the method reports
/// after the last evaluation completed within the budget (cumulative cost ≤ budget), minus the optimum. A method that
/// names its answer (<see cref="TraceEntry.AnswerNoiseFreeValue"/>, e.g. Levain's best model-predicted Pareto point)
/// is judged on that point; otherwise the answer is the evaluation with the best (lowest) observed value — the earliest
/// on ties. Either way the answer is a point the method evaluated. +∞ when nothing completed within the budget.
/// </summary>
public static class RegretBookkeeping
{
    // Cumulative sums of costs are compared with a relative slack so that a budget equal to the sum counts.
    private const double RelativeSlack = 1e-12;

    public static double RegretAt(IReadOnlyList<TraceEntry> trace, double budget, double optimum) =>
        ReportedWithin(trace, budget) is { } reported ? reported.NoiseFreeValue - optimum : double.PositiveInfinity;

    /// <summary>The reported answer within the budget: (noise-free value, cost) of the method's named answer after the last evaluation within it, else of the best observed.</summary>
    public static (double NoiseFreeValue, double Cost)? ReportedWithin(IReadOnlyList<TraceEntry> trace, double budget)
    {
        if (Within(trace, budget).LastOrDefault() is { AnswerNoiseFreeValue: { } answer, AnswerCost: { } answerCost })
        {
            return (answer, answerCost);
        }
        return BestWithin(trace, budget) is { } best ? (best.NoiseFreeValue, best.Cost) : null;
    }

    /// <summary>The evaluation with the best observed value among those completed within the budget (earliest on ties).</summary>
    public static TraceEntry? BestWithin(IReadOnlyList<TraceEntry> trace, double budget)
    {
        TraceEntry? best = null;
        foreach (var entry in Within(trace, budget))
        {
            if (best is null || entry.ObservedValue < best.Value.ObservedValue)
            {
                best = entry;
            }
        }
        return best;
    }

    /// <summary>The evaluations completed within the budget (cumulative cost ≤ budget), in order.</summary>
    private static IEnumerable<TraceEntry> Within(IReadOnlyList<TraceEntry> trace, double budget)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var spent = 0.0;
        foreach (var entry in trace)
        {
            spent += entry.Cost;
            if (spent > budget + RelativeSlack * Math.Max(1.0, Math.Abs(budget)))
            {
                yield break;
            }
            yield return entry;
        }
    }

    public static double[] RegretsAt(IReadOnlyList<TraceEntry> trace, IReadOnlyList<double> budgets, double optimum)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        return [.. budgets.Select(b => RegretAt(trace, b, optimum))];
    }
}
