namespace Levain.Evals.Quality;

/// <summary>Judgments below <paramref name="MinConfidence"/> are ignored when deriving a label.</summary>
public sealed record JudgmentOptions(double MinConfidence = 0.5);
