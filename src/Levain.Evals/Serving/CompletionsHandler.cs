using System.Text.Json.Nodes;
using Levain.Evals.Backends;

namespace Levain.Evals.Serving;

/// <summary>
/// Answers OpenAI-compatible completion requests from an <see cref="ITokenizingBackend"/>. With <c>echo</c> the prompt's
/// tokens come back with their log-probabilities (the first has none: null), which is what log-likelihood harnesses
/// need. The backend reports only each token's own log-probability and whether it was the argmax, so
/// <c>top_logprobs</c> holds the token itself where it was the argmax and is otherwise empty; the extension field
/// <c>levain_greedy</c> carries the argmax flag of every token.
/// Calls into the backend are serialised (one model, one request at a time).
/// </summary>
public sealed class CompletionsHandler : IDisposable
{
    private readonly ITokenizingBackend _backend;
    private readonly CompletionsServerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _requestCount;

    public CompletionsHandler(ITokenizingBackend backend, CompletionsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        _backend = backend;
        _options = options;
    }

    public string ModelName => _options.ModelName ?? _backend.ModelId;

    public JsonObject Models() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = ModelName,
            ["object"] = "model",
            ["owned_by"] = "levain",
            ["levain_model_id"] = _backend.ModelId,
            ["levain_tokenizer_id"] = _backend.TokenizerId,
            ["levain_rolling"] = true,
        }),
    };

    public async Task<JsonObject> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxTokens > _options.MaxTokensLimit)
        {
            throw new CompletionRequestException($"'max_tokens' must be at most {_options.MaxTokensLimit}");
        }
        var choices = new JsonArray();
        var promptTokens = 0;
        var completionTokens = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < request.Prompts.Count; i++)
            {
                var prompt = request.Prompts[i];
                var promptIds = prompt.TokenIds ?? _backend.Encode(prompt.Text!);
                if (promptIds.Count == 0)
                {
                    throw new CompletionRequestException($"prompt {i} is empty");
                }
                var (choice, generatedCount) = request.IsRolling
                    ? (await RollingAsync(prompt.Text ?? _backend.Decode(promptIds), i, cancellationToken).ConfigureAwait(false), 0)
                    : await CompleteOneAsync(request, promptIds, i, cancellationToken).ConfigureAwait(false);
                choices.Add(choice);
                promptTokens += promptIds.Count;
                completionTokens += generatedCount;
            }
        }
        finally
        {
            _gate.Release();
        }
        var id = Interlocked.Increment(ref _requestCount);
        return new JsonObject
        {
            ["id"] = $"cmpl-levain-{id}",
            ["object"] = "text_completion",
            ["created"] = _options.Clock.GetUtcNow().ToUnixTimeSeconds(),
            ["model"] = request.Model ?? ModelName,
            ["choices"] = choices,
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        };
    }

    private async Task<(JsonObject Choice, int GeneratedCount)> CompleteOneAsync(
        CompletionRequest request, IReadOnlyList<int> promptIds, int index, CancellationToken cancellationToken)
    {
        IReadOnlyList<int> generated = [];
        var finishReason = "length";
        var generatedText = "";
        if (request.MaxTokens > 0)
        {
            var seed = request.Seed + index;
            var ids = await _backend.GenerateTokensAsync(promptIds, request.MaxTokens, request.Temperature, seed, cancellationToken).ConfigureAwait(false);
            var fullText = _backend.Decode(ids);
            generatedText = TokenizedScoring.CutAtStop(fullText, request.Stop);
            var cut = generatedText.Length < fullText.Length;
            generated = cut ? KeepTokensWithin(ids, generatedText.Length) : ids;
            if (cut || ids.Count < request.MaxTokens)
            {
                finishReason = "stop";
            }
        }
        var shownIds = request.Echo ? promptIds.Concat(generated).ToArray() : generated.ToArray();
        var text = (request.Echo ? _backend.Decode(promptIds) : "") + generatedText;
        var choice = new JsonObject
        {
            ["index"] = index,
            ["text"] = text,
            ["finish_reason"] = finishReason,
        };
        if (request.LogProbs is null)
        {
            choice["logprobs"] = null;
            return (choice, generated.Count);
        }
        var allIds = promptIds.Concat(generated).ToArray();
        var scores = allIds.Length > 1
            ? await _backend.ScoreTokensAsync(allIds, cancellationToken).ConfigureAwait(false)
            : [];
        // scores[k] belongs to allIds[k + 1]; the shown tokens start at allIds[offset].
        var offset = request.Echo ? 0 : promptIds.Count;
        var tokens = new JsonArray();
        var logProbs = new JsonArray();
        var top = new JsonArray();
        var greedy = new JsonArray();
        var texts = TokenTexts(shownIds);
        for (var k = 0; k < shownIds.Length; k++)
        {
            var position = offset + k;
            tokens.Add(texts[k]);
            if (position == 0)
            {
                logProbs.Add(null);
                top.Add(null);
                greedy.Add(null);
                continue;
            }
            var score = scores[position - 1];
            logProbs.Add(score.LogProb);
            top.Add(score.IsGreedy && request.LogProbs > 0 ? new JsonObject { [texts[k]] = score.LogProb } : new JsonObject());
            greedy.Add(score.IsGreedy);
        }
        choice["logprobs"] = new JsonObject
        {
            ["tokens"] = tokens,
            ["token_logprobs"] = logProbs,
            ["top_logprobs"] = top,
            ["text_offset"] = new JsonArray([.. TextOffsets(shownIds, texts).Select(o => (JsonNode)o)]),
            ["levain_greedy"] = greedy,
        };
        return (choice, generated.Count);
    }

    /// <summary>The backend's rolling score of a whole text: every token has a log-probability.</summary>
    private async Task<JsonObject> RollingAsync(string text, int index, CancellationToken cancellationToken)
    {
        var score = (await _backend.ScoreRollingAsync([text], cancellationToken).ConfigureAwait(false))[0];
        var texts = score.Tokens.Select(t => t.Text ?? _backend.Decode([t.TokenId])).ToArray();
        var offsets = new JsonArray();
        var at = 0;
        foreach (var t in texts)
        {
            offsets.Add(at);
            at += t.Length;
        }
        return new JsonObject
        {
            ["index"] = index,
            ["text"] = text,
            ["finish_reason"] = "length",
            ["logprobs"] = new JsonObject
            {
                ["tokens"] = new JsonArray([.. texts.Select(t => (JsonNode)t)]),
                ["token_logprobs"] = new JsonArray([.. score.Tokens.Select(t => (JsonNode)t.LogProb)]),
                ["top_logprobs"] = new JsonArray([.. score.Tokens.Select((t, k) => (JsonNode)(t.IsGreedy ? new JsonObject { [texts[k]] = t.LogProb } : new JsonObject()))]),
                ["text_offset"] = offsets,
                ["levain_greedy"] = new JsonArray([.. score.Tokens.Select(t => (JsonNode)t.IsGreedy)]),
            },
        };
    }

    private List<int> KeepTokensWithin(IReadOnlyList<int> ids, int textLength)
    {
        var kept = new List<int>();
        foreach (var id in ids)
        {
            kept.Add(id);
            if (_backend.Decode(kept).Length > textLength)
            {
                kept.RemoveAt(kept.Count - 1);
                break;
            }
        }
        return kept;
    }

    private string[] TokenTexts(IReadOnlyList<int> ids) => ids.Select(id => _backend.Decode([id])).ToArray();

    /// <summary>Character offset of each token in the decoded text (exact even when tokens split a character).</summary>
    private int[] TextOffsets(IReadOnlyList<int> ids, string[] texts)
    {
        var offsets = new int[ids.Count];
        var whole = _backend.Decode(ids);
        if (string.Concat(texts) == whole)
        {
            for (int k = 1, at = 0; k < ids.Count; k++)
            {
                at += texts[k - 1].Length;
                offsets[k] = at;
            }
            return offsets;
        }
        for (var k = 1; k < ids.Count; k++)
        {
            offsets[k] = _backend.Decode(ids.Take(k).ToArray()).Length;
        }
        return offsets;
    }

    public void Dispose() => _gate.Dispose();
}
