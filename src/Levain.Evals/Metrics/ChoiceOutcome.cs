namespace Levain.Evals.Metrics;

/// <summary>The per-item metric values of a multiple-choice item, its argmax position and its confidence (max softmax).</summary>
public sealed record ChoiceOutcome(IReadOnlyDictionary<string, double> Scores, int PredictedPosition, double Confidence);
