using System.Text;

namespace Levain.Evals.Backends;

/// <summary>
/// The field's tokenization convention (docs/evals.md, "Model interface") built on an <see cref="ITokenizingBackend"/>'s
/// token-level primitives, so every tokenizing backend (and the completions server) splits context and continuation
/// the same way: trailing spaces of the context move onto the continuation, and the continuation's tokens are
/// <c>encode(context + continuation)</c> minus the first <c>|encode(context)|</c> tokens. With an empty context the
/// first token has no prediction and is left out of the score.
/// </summary>
public static class TokenizedScoring
{
    /// <summary>Moves trailing spaces (U+0020) of <paramref name="context"/> onto the front of <paramref name="continuation"/>.</summary>
    public static (string Context, string Continuation) MoveTrailingSpaces(string context, string continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var trimmed = context.TrimEnd(' ');
        return (trimmed, context[trimmed.Length..] + continuation);
    }

    /// <summary>The token ids of context + continuation and the index of the first continuation token.</summary>
    public static (IReadOnlyList<int> WholeIds, int ContinuationStart, string Continuation) Split(ITokenizingBackend backend, ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(request);
        var (context, continuation) = MoveTrailingSpaces(request.Context, request.Continuation);
        var contextCount = context.Length == 0 ? 0 : backend.Encode(context).Count;
        var whole = backend.Encode(context + continuation);
        return (whole, Math.Min(contextCount, whole.Count), continuation);
    }

    public static async Task<IReadOnlyList<ContinuationScore>> ScoreAsync(
        ITokenizingBackend backend, IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new ContinuationScore[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var (whole, start, continuation) = Split(backend, requests[i]);
            var scores = await backend.ScoreTokensAsync(whole, cancellationToken).ConfigureAwait(false);
            // scores[k] belongs to whole[k + 1]; the continuation's tokens are whole[start..].
            var first = Math.Max(start - 1, 0);
            results[i] = new ContinuationScore(scores.Skip(first).ToArray(), Encoding.UTF8.GetByteCount(continuation));
        }
        return results;
    }

    public static async Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(
        ITokenizingBackend backend, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(texts);
        var results = new ContinuationScore[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var scores = await backend.ScoreTokensAsync(backend.Encode(texts[i]), cancellationToken).ConfigureAwait(false);
            results[i] = new ContinuationScore(scores, Encoding.UTF8.GetByteCount(texts[i]));
        }
        return results;
    }

    public static async Task<IReadOnlyList<string>> GenerateAsync(
        ITokenizingBackend backend, IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(requests);
        var results = new string[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var ids = await backend.GenerateTokensAsync(backend.Encode(request.Prompt), request.MaxTokens, request.Temperature, request.Seed, cancellationToken)
                .ConfigureAwait(false);
            results[i] = CutAtStop(backend.Decode(ids), request.Stop);
        }
        return results;
    }

    /// <summary>The text before the earliest occurrence of any stop sequence (the whole text when none occurs).</summary>
    public static string CutAtStop(string text, IReadOnlyList<string> stop)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stop);
        var end = text.Length;
        foreach (var s in stop)
        {
            if (s.Length == 0)
            {
                continue;
            }
            var at = text.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }
        return text[..end];
    }
}
