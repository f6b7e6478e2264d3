namespace Levain.Bench.Tuner.Reporting;

/// <summary>
/// Simple regret of one method on one problem at one budget over all seeds: median and interquartile range, and the
/// per-seed values in seed order. Null stands for "nothing completed within the budget" (+∞ in the statistics).
/// <paramref name="BestPointCosts"/> is, per seed, the cost of the answer point itself (Levain's best predicted, the others' best observed) — on the fidelity
/// problems a proxy for the fidelity the method's answer was evaluated at.
/// </summary>
public sealed record BudgetRegrets(
    double Fraction,
    double Budget,
    double? Median,
    double? Q1,
    double? Q3,
    IReadOnlyList<double?> Regrets,
    double? MedianBestPointCost,
    IReadOnlyList<double?> BestPointCosts);
