namespace Levain.Evals.Metrics;

/// <summary>
/// One point of the abstention curve: answering only when confidence ≥ <paramref name="Threshold"/> answers
/// <paramref name="Coverage"/> of the items with <paramref name="Accuracy"/> (null when nothing is answered).
/// </summary>
public sealed record AbstentionPoint(double Threshold, double Coverage, double? Accuracy, int Answered);
