namespace Levain.Bench.Tuner.Reporting;

/// <summary>
/// One method on one problem: regrets at each budget, evaluations per seed, the seconds spent inside the method
/// (ask + tell) and in whole runs, and any errors (a broken peer).
/// </summary>
public sealed record MethodResults(
    string Method,
    IReadOnlyList<BudgetRegrets> Budgets,
    IReadOnlyList<int> Evaluations,
    double MethodSeconds,
    double WallSeconds,
    IReadOnlyList<string> Errors)
{
    /// <summary>Runs cut short by the method's early-stopping rule, over all seeds (0 for methods without one).</summary>
    public int EarlyStopped { get; init; }

    /// <summary>
    /// For an early-stopping method: the smallest fraction of the budget at which its median regret is at most plain
    /// Levain's median regret at 100 % (null: never within the budget, or no plain Levain run to compare with).
    /// </summary>
    public double? FractionForLevainRegret { get; init; }

    /// <summary>Spent − budget per seed and the worst seed against its cheapest trial (null when not computed).</summary>
    public BudgetOverrun? Overrun { get; init; }

    /// <summary>The same against plain Levain's median regret at 50 % of the budget.</summary>
    public double? FractionForLevainHalfBudgetRegret { get; init; }

    /// <summary>For an early-stopping method: cost saved at equal regret against plain Levain, paired by seed, at 50 % and 100 %.</summary>
    public IReadOnlyList<PairedSaving> PairedSavings { get; init; } = [];
}
