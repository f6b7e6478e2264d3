namespace Levain.Evals.Serving;

/// <summary>One prompt of a completions request: text, or token ids (exactly one is set).</summary>
public sealed record CompletionPrompt(string? Text, IReadOnlyList<int>? TokenIds);
