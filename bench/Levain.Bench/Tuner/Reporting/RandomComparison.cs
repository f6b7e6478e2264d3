namespace Levain.Bench.Tuner.Reporting;

/// <summary>Levain's median regret against random search's on one problem at one budget (lower is better).</summary>
public sealed record RandomComparison(string Problem, double Fraction, double? LevainMedian, double? RandomMedian, bool IsLevainBelow);
