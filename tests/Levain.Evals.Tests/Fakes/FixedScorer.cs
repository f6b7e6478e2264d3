using Levain.Evals.Backends;

namespace Levain.Evals.Tests.Fakes;

/// <summary>
/// A scorer whose log-likelihoods come from a function of (context, continuation): crafted behaviours such as a model
/// that always prefers the first letter. Each continuation is scored as one token; byte count as UTF-8.
/// </summary>
internal sealed class FixedScorer(Func<string, string, double> logLikelihood) : IScoringBackend
{
    public string ModelId => "fixed";

    public string TokenizerId => "fixed";

    public int Requests { get; private set; }

    public Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
    {
        Requests += requests.Count;
        return Task.FromResult<IReadOnlyList<ContinuationScore>>([.. requests.Select(r => new ContinuationScore(
            [new TokenScore(0, r.Continuation, logLikelihood(r.Context, r.Continuation), false)],
            System.Text.Encoding.UTF8.GetByteCount(r.Continuation)))]);
    }

    public Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContinuationScore>>([.. texts.Select(t => new ContinuationScore([new TokenScore(0, t, logLikelihood("", t), false)], System.Text.Encoding.UTF8.GetByteCount(t)))]);

    public Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. requests.Select(_ => "")]);
}
