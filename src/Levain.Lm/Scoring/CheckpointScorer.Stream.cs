namespace Levain.Lm.Scoring;

// Token-by-token generation with a caller-side stop test, for chat (streams text as it comes) and templated evaluation.
public sealed partial class CheckpointScorer
{
    /// <summary>
    /// Generates after <paramref name="promptTokenIds"/> until end-of-text, <paramref name="maxTokens"/>, or
    /// <paramref name="onToken"/> (called with all tokens generated so far after each one) returns true.
    /// </summary>
    public IReadOnlyList<int> GenerateStreaming(IReadOnlyList<int> promptTokenIds, int maxTokens, double temperature, int seed,
        Func<IReadOnlyList<int>, bool> onToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptTokenIds);
        ArgumentNullException.ThrowIfNull(onToken);
        IReadOnlyList<int> prompt = promptTokenIds.Count == 0 ? [_tokenizer.EndOfTextId] : promptTokenIds;
        return GenerateCore(prompt, maxTokens, new SamplingOptions(temperature, Seed: seed), onToken, cancellationToken, out _);
    }
}
