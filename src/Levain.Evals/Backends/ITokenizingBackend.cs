namespace Levain.Evals.Backends;

/// <summary>
/// A backend that exposes its tokenizer, so a server can accept prompts as token ids and report token texts and
/// offsets (OpenAI-compatible <c>/v1/completions</c> with echo + logprobs). The in-process Levain backend implements it.
/// </summary>
public interface ITokenizingBackend : IScoringBackend
{
    IReadOnlyList<int> Encode(string text);

    string Decode(IReadOnlyList<int> tokenIds);

    /// <summary>Per-token log-probabilities of a token sequence (the first token gets no score and is left out).</summary>
    Task<IReadOnlyList<TokenScore>> ScoreTokensAsync(IReadOnlyList<int> tokenIds, CancellationToken cancellationToken = default);

    /// <summary>Token ids generated after <paramref name="promptTokenIds"/> (greedy at temperature 0).</summary>
    Task<IReadOnlyList<int>> GenerateTokensAsync(IReadOnlyList<int> promptTokenIds, int maxTokens, double temperature, int seed, CancellationToken cancellationToken = default);
}
