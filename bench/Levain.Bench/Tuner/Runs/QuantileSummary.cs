namespace Levain.Bench.Tuner.Runs;

/// <summary>Median with its interquartile range [<paramref name="Q1"/>, <paramref name="Q3"/>].</summary>
public readonly record struct QuantileSummary(double Median, double Q1, double Q3);
