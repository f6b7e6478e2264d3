namespace Levain.Runner.Reports;

/// <summary>The best metric seen once trials up to <see cref="Trial"/> (in finishing order) had spent <see cref="CumulativeCost"/>.</summary>
public sealed record BestSoFarPoint(int Trial, double CumulativeCost, double BestOutput);
