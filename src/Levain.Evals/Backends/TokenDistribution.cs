namespace Levain.Evals.Backends;

/// <summary>One scored token and the model's <c>k</c> most likely tokens at its position (id, log p), best first.</summary>
public sealed record TokenDistribution(TokenScore Token, IReadOnlyList<(int TokenId, double LogProb)> Top);
