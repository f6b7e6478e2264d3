namespace Levain.Bench.Tuner.Reporting;

/// <summary>
/// Levain's median regret against Optuna TPE's on one problem at one budget, paired by seed: <see cref="Ratio"/> is
/// Levain's median over TPE's (lower is better), with a 95 % bootstrap interval (the seeds resampled with replacement,
/// both methods' regrets of a seed drawn together). <see cref="MeetsBar"/> holds when the ratio is at most
/// <see cref="Bar"/>; null ratios mean a median of zero or of nothing (no regret within the budget).
/// </summary>
public sealed record TpeComparison(
    string Problem,
    double Fraction,
    int Seeds,
    double? LevainMedian,
    double? TpeMedian,
    double? Ratio,
    double? RatioLow,
    double? RatioHigh,
    bool MeetsBar)
{
    /// <summary>The bar the tuner is held to: Levain's median regret at most 0.8x TPE's.</summary>
    public const double Bar = 0.8;
}
