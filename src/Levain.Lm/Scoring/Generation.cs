namespace Levain.Lm.Scoring;

/// <summary>
/// Generated text (cut before the first stop string), its token ids, and why generation ended: "stop" (a stop string),
/// "eos" (end-of-text token), "length" (<c>max_tokens</c> reached) or "context" (never: the window slides).
/// </summary>
public sealed record Generation(string Text, IReadOnlyList<int> TokenIds, string FinishReason);
