namespace Levain.Bench.Tuner.Reporting;

/// <summary>
/// Cost saved at equal regret, paired by seed: for each seed, the smallest fraction of the budget (1 % steps) at which
/// the early-stopping method's regret is at most plain Levain's regret at <see cref="ReferenceFraction"/> of the
/// budget on the same seed (+∞ when never within the budget); the saving is 1 − fraction / reference. The median
/// saving over seeds, with a 95 % bootstrap interval (seeds resampled with replacement).
/// </summary>
public sealed record PairedSaving(
    double ReferenceFraction,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<double?> Fractions,
    double? MedianSaved,
    double? SavedLow,
    double? SavedHigh);
