namespace Levain.Runner.Reports;

/// <summary>The best succeeded trial whose cost is at most <see cref="CostLimit"/>.</summary>
public sealed record BestAtCostRow(double CostLimit, int Trial, double Cost, double Output);
