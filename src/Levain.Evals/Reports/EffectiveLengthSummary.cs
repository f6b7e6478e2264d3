namespace Levain.Evals.Reports;

/// <summary>
/// Accuracy at each context length and the effective length: the longest length L such that every length up to and
/// including L keeps accuracy ≥ <paramref name="Threshold"/> (null when even the shortest falls below).
/// </summary>
public sealed record EffectiveLengthSummary(double Threshold, IReadOnlyList<LengthAccuracy> Lengths, int? EffectiveLength);
