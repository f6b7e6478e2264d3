namespace Levain.Bench.Tuner.Reporting;

/// <summary>All methods on one problem.</summary>
public sealed record ProblemResults(string Problem, string Description, double Optimum, double TotalBudget, IReadOnlyList<MethodResults> Methods);
