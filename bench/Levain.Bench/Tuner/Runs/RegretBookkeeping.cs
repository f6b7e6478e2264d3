namespace Levain.Bench.Tuner.Runs;

/// <summary>
/// Simple regret at a cumulative-cost budget: among the evaluations that completed within the budget (cumulative
/// cost ≤ budget), take the one with the best (lowest) observed value — the earliest on ties — and return its
/// noise-free value at its own fidelity minus the optimum. +∞ when nothing completed within the budget.
/// </summary>
public static class RegretBookkeeping
{
    // Cumulative sums of costs are compared with a relative slack so that a budget equal to the sum counts.
    private const double RelativeSlack = 1e-12;

    public static double RegretAt(IReadOnlyList<TraceEntry> trace, double budget, double optimum) =>
        BestWithin(trace, budget) is { } best ? best.NoiseFreeValue - optimum : double.PositiveInfinity;

    /// <summary>The evaluation with the best observed value among those completed within the budget (earliest on ties).</summary>
    public static TraceEntry? BestWithin(IReadOnlyList<TraceEntry> trace, double budget)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var spent = 0.0;
        TraceEntry? best = null;
        foreach (var entry in trace)
        {
            spent += entry.Cost;
            if (spent > budget + RelativeSlack * Math.Max(1.0, Math.Abs(budget)))
            {
                break;
            }
            if (best is null || entry.ObservedValue < best.Value.ObservedValue)
            {
                best = entry;
            }
        }
        return best;
    }

    public static double[] RegretsAt(IReadOnlyList<TraceEntry> trace, IReadOnlyList<double> budgets, double optimum)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        return [.. budgets.Select(b => RegretAt(trace, b, optimum))];
    }
}
