namespace Levain.Evals.Backends;

/// <summary>One request to score <paramref name="Continuation"/> after <paramref name="Context"/>.</summary>
public sealed record ScoreRequest(string Context, string Continuation);
