using Levain.Bench.Tuner.Runs;

namespace Levain.Bench.Tuner.Reporting;

/// <summary>
/// How far one method's studies on one problem went past the cost budget: per seed, spent − budget (negative: under
/// it) and the cost of that study's cheapest trial; the worst seed. The done-when of the tuner asks that no study
/// exceeds its budget by more than one cheapest trial (<see cref="IsWithinOneCheapestTrial"/>). A method that does not
/// know the budget (TPE, random search) finishes the trial that crosses it, so it can exceed it by up to its dearest
/// trial.
/// </summary>
public sealed record BudgetOverrun(
    IReadOnlyList<double> Overruns,
    IReadOnlyList<double?> CheapestTrialCosts,
    double MaxOverrun,
    int MaxOverrunSeed,
    double? MaxOverrunCheapestTrialCost,
    int SeedsBeyondOneCheapestTrial)
{
    public bool IsWithinOneCheapestTrial => SeedsBeyondOneCheapestTrial == 0;

    /// <summary>The overrun of every run (in seed order) against <paramref name="budget"/>; null without runs.</summary>
    public static BudgetOverrun? Of(IReadOnlyList<RunResult> runs, double budget)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return null;
        }
        var overruns = runs.Select(r => r.SpentCost - budget).ToArray();
        var cheapest = runs.Select(r => r.Trace.Count == 0 ? (double?)null : r.Trace.Min(t => t.Cost)).ToArray();
        var worst = Array.IndexOf(overruns, overruns.Max());
        // A study beyond its budget by more than its cheapest trial (a study without trials spent nothing).
        var beyond = overruns.Where((o, i) => o > 0 && o > (cheapest[i] ?? 0.0)).Count();
        return new BudgetOverrun(overruns, cheapest, overruns[worst], runs[worst].Seed, cheapest[worst], beyond);
    }
}
