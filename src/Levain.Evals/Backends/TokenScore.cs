namespace Levain.Evals.Backends;

/// <summary>One scored token: its id, its text (when the backend knows it), log p, and whether it was the argmax.</summary>
public readonly record struct TokenScore(int TokenId, string? Text, double LogProb, bool IsGreedy);
