namespace Levain.Evals.Backends;

/// <summary>
/// The prompt tokens a completions endpoint echoed back: token texts, log-probabilities (null where the endpoint gave
/// none — always the first token), argmax flags, and character offsets.
/// </summary>
public sealed record EchoedCompletion(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<double?> LogProbs,
    IReadOnlyList<bool> IsGreedy,
    IReadOnlyList<int> TextOffsets);
