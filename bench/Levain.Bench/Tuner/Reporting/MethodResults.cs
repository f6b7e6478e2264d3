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
    IReadOnlyList<string> Errors);
