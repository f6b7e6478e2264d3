namespace Levain.Evals.Backends;

/// <summary>
/// A language model as the evaluation harness sees it (docs/evals.md, "Model interface"). Every answer keeps token-level
/// detail so any metric can be recomputed later. Implemented in-process by <c>Levain.Lm</c> and over HTTP by the
/// OpenAI-compatible completions backend.
/// </summary>
public interface IScoringBackend
{
    /// <summary>A stable identity for reports and the result cache (e.g. checkpoint hash or endpoint + model name).</summary>
    string ModelId { get; }

    /// <summary>A stable identity of the tokenizer (e.g. "bytes" or a hash of the vocabulary).</summary>
    string TokenizerId { get; }

    /// <summary>
    /// Log-probabilities of each continuation given its context. Continuation tokens are
    /// <c>encode(context + continuation)</c> minus the tokens of <c>encode(context)</c>, with trailing spaces of the
    /// context moved onto the continuation. Results are in request order and independent of batching.
    /// </summary>
    Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Log-probabilities of every token of each whole text (rolling windows if longer than the context).</summary>
    Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);

    /// <summary>Generated text for each prompt (greedy when temperature is 0), cut at the first stop sequence.</summary>
    Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default);
}
