using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Evals.Backends;

/// <summary>
/// Scores through an OpenAI-compatible <c>/v1/completions</c> endpoint (vLLM, <c>levain serve</c>, …) using
/// <c>echo: true, logprobs: 1, max_tokens: 0</c> (falling back to 1 and dropping the generated token when the server
/// rejects 0). The context's token count comes from echoing the context alone, so continuation tokens are exactly
/// <c>encode(context + continuation)</c> minus <c>|encode(context)|</c>. Every response is checked for one
/// log-probability per prompt token; <see cref="SelfTestAsync"/> checks this before any scoring.
/// An empty context (and a rolling text) leaves the first token without a prediction on a plain OpenAI-compatible
/// server, so it is left out; <c>levain serve</c> advertises <c>levain_rolling</c> and then scores every token after the
/// model's start-of-text, exactly as the in-process backend does.
/// </summary>
public sealed class CompletionsBackend : IScoringBackend
{
    /// <summary>The known string the self-test scores.</summary>
    public const string SelfTestText = "The quick brown fox jumps over the lazy dog. 12 + 30 = 42.";

    private readonly HttpClient _http;
    private readonly Uri _completions;
    private readonly string _model;
    private readonly Dictionary<string, int> _contextTokenCounts = new(StringComparer.Ordinal);
    private bool _isZeroMaxTokensRejected;

    public CompletionsBackend(HttpClient http, Uri completionsUri, string model, string modelId, string tokenizerId, bool isRollingSupported = false)
    {
        IsRollingSupported = isRollingSupported;
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(completionsUri);
        _http = http;
        _completions = completionsUri;
        _model = model;
        ModelId = modelId;
        TokenizerId = tokenizerId;
    }

    public string ModelId { get; }

    public string TokenizerId { get; }

    public Uri CompletionsUri => _completions;

    /// <summary>Whether the server scores every token of a prompt on request (Levain's <c>levain_rolling</c> extension).</summary>
    public bool IsRollingSupported { get; }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (a server root, a <c>/v1</c> base or the full <c>/v1/completions</c> URL):
    /// asks <c>/v1/models</c> for the model name (and Levain's model and tokenizer ids when the server is
    /// <c>levain serve</c>). Does not run the self-test.
    /// </summary>
    public static async Task<CompletionsBackend> ConnectAsync(HttpClient http, string endpoint, string? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var completions = CompletionsUriOf(endpoint);
        var modelsUri = new Uri(completions, "models");
        string? name = model;
        string? levainModel = null;
        string? levainTokenizer = null;
        var isRolling = false;
        try
        {
            var models = await http.GetFromJsonAsync<JsonObject>(modelsUri, cancellationToken).ConfigureAwait(false);
            var first = models?["data"]?.AsArray().FirstOrDefault(m => model is null || (string?)m?["id"] == model);
            name ??= (string?)first?["id"];
            levainModel = (string?)first?["levain_model_id"];
            levainTokenizer = (string?)first?["levain_tokenizer_id"];
            isRolling = first?["levain_rolling"] is JsonValue flag && flag.GetValue<bool>();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            if (e is HttpRequestException { StatusCode: null })
            {
                throw new EndpointProtocolException($"cannot reach {completions}: {e.Message}", e);
            }
        }
        name ??= "default";
        var where = completions.GetLeftPart(UriPartial.Path);
        return new CompletionsBackend(
            http,
            completions,
            name,
            levainModel ?? $"{name}@{where}",
            levainTokenizer ?? $"tokenizer-of:{name}@{where}",
            isRolling);
    }

    public static Uri CompletionsUriOf(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        var text = endpoint.TrimEnd('/');
        if (!text.EndsWith("/completions", StringComparison.Ordinal))
        {
            text += text.EndsWith("/v1", StringComparison.Ordinal) ? "/completions" : "/v1/completions";
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"'{endpoint}' is not an http(s) URL", nameof(endpoint));
    }

    /// <summary>
    /// Scores <see cref="SelfTestText"/> and checks that the endpoint returns one finite, non-positive log-probability
    /// per prompt token after the first. A server that returns no prompt log-probabilities (llama.cpp's server, for
    /// one) fails here with a clear message instead of scoring every task at chance.
    /// </summary>
    public async Task<SelfTestResult> SelfTestAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var echoed = (await EchoAsync([SelfTestText], cancellationToken).ConfigureAwait(false))[0];
            if (echoed.Tokens.Count < 2)
            {
                return new SelfTestResult(false, $"{_completions} echoed {echoed.Tokens.Count} token(s) for a {SelfTestText.Length}-character prompt; it does not echo the prompt");
            }
            return new SelfTestResult(true, $"{_completions} returned log-probabilities for all {echoed.Tokens.Count - 1} scorable prompt tokens");
        }
        catch (EndpointProtocolException e)
        {
            return new SelfTestResult(false, e.Message);
        }
    }

    public async Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var moved = requests.Select(r => TokenizedScoring.MoveTrailingSpaces(r.Context, r.Continuation)).ToArray();
        var unknownContexts = moved.Select(m => m.Context)
            .Where(c => c.Length > 0 && !_contextTokenCounts.ContainsKey(c))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (unknownContexts.Length > 0)
        {
            var contextEchoes = await EchoAsync(unknownContexts, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < unknownContexts.Length; i++)
            {
                _contextTokenCounts[unknownContexts[i]] = contextEchoes[i].Tokens.Count;
            }
        }
        var isRolling = moved.Select(m => m.Context.Length == 0 && IsRollingSupported).ToArray();
        var echoedPlain = await EchoAsync(moved.Where((_, i) => !isRolling[i]).Select(m => m.Context + m.Continuation).ToArray(), cancellationToken).ConfigureAwait(false);
        var echoedRolling = await EchoAsync(moved.Where((_, i) => isRolling[i]).Select(m => m.Continuation).ToArray(), cancellationToken, rolling: true).ConfigureAwait(false);
        var results = new ContinuationScore[requests.Count];
        for (int i = 0, plain = 0, roll = 0; i < requests.Count; i++)
        {
            var start = moved[i].Context.Length == 0 ? 0 : _contextTokenCounts[moved[i].Context];
            var echoed = isRolling[i] ? echoedRolling[roll++] : echoedPlain[plain++];
            if (isRolling[i])
            {
                results[i] = new ContinuationScore(
                    [.. echoed.Tokens.Select((t, k) => new TokenScore(-1, t, echoed.LogProbs[k]!.Value, echoed.IsGreedy[k]))],
                    Encoding.UTF8.GetByteCount(moved[i].Continuation));
                continue;
            }
            var tokens = new List<TokenScore>();
            for (var k = Math.Max(start, 1); k < echoed.Tokens.Count; k++)
            {
                tokens.Add(new TokenScore(-1, echoed.Tokens[k], echoed.LogProbs[k]!.Value, echoed.IsGreedy[k]));
            }
            results[i] = new ContinuationScore(tokens, Encoding.UTF8.GetByteCount(moved[i].Continuation));
        }
        return results;
    }

    public async Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var echoes = await EchoAsync(texts, cancellationToken, IsRollingSupported).ConfigureAwait(false);
        var first = IsRollingSupported ? 0 : 1;
        return echoes.Select((e, i) => new ContinuationScore(
            [.. Enumerable.Range(first, Math.Max(e.Tokens.Count - first, 0)).Select(k => new TokenScore(-1, e.Tokens[k], e.LogProbs[k]!.Value, e.IsGreedy[k]))],
            Encoding.UTF8.GetByteCount(texts[i]))).ToArray();
    }

    public async Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new string[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var body = new JsonObject
            {
                ["model"] = _model,
                ["prompt"] = r.Prompt,
                ["max_tokens"] = r.MaxTokens,
                ["temperature"] = r.Temperature,
                ["seed"] = r.Seed,
                ["stop"] = new JsonArray([.. r.Stop.Select(s => (JsonNode)s)]),
            };
            var answer = await PostAsync(body, cancellationToken).ConfigureAwait(false);
            var text = (string?)answer["choices"]?[0]?["text"] ?? throw new EndpointProtocolException($"{_completions} returned no choices[0].text");
            results[i] = TokenizedScoring.CutAtStop(text, r.Stop);
        }
        return results;
    }

    /// <summary>
    /// Echoes each prompt with its log-probabilities; fails unless every token after the first has one (every token,
    /// with <paramref name="rolling"/>, which needs <see cref="IsRollingSupported"/>).
    /// </summary>
    public async Task<IReadOnlyList<EchoedCompletion>> EchoAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default, bool rolling = false)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            return [];
        }
        var body = new JsonObject
        {
            ["model"] = _model,
            ["prompt"] = new JsonArray([.. prompts.Select(p => (JsonNode)p)]),
            ["max_tokens"] = _isZeroMaxTokensRejected ? 1 : 0,
            ["echo"] = true,
            ["logprobs"] = 1,
            ["temperature"] = 0.0,
        };
        if (rolling)
        {
            body["levain_rolling"] = true;
            body["max_tokens"] = 0;
        }
        JsonObject answer;
        try
        {
            answer = await PostAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (EndpointProtocolException e) when (!_isZeroMaxTokensRejected && e.Data["status"] is HttpStatusCode.BadRequest)
        {
            _isZeroMaxTokensRejected = true;
            body["max_tokens"] = 1;
            answer = await PostAsync(body, cancellationToken).ConfigureAwait(false);
        }
        var choices = answer["choices"] as JsonArray ?? throw new EndpointProtocolException($"{_completions} returned no 'choices'");
        if (choices.Count != prompts.Count)
        {
            throw new EndpointProtocolException($"{_completions} returned {choices.Count} choices for {prompts.Count} prompts");
        }
        var results = new EchoedCompletion[prompts.Count];
        for (var c = 0; c < choices.Count; c++)
        {
            var index = (int?)choices[c]?["index"] ?? c;
            results[index] = ParseEcho(choices[c]!, prompts[index], rolling);
        }
        return results;
    }

    private EchoedCompletion ParseEcho(JsonNode choice, string prompt, bool rolling)
    {
        var logprobs = choice["logprobs"] as JsonObject
            ?? throw new EndpointProtocolException(
                $"{_completions} returned no log-probabilities (choices[].logprobs is missing or null); it cannot be used for log-likelihood scoring");
        var tokens = (logprobs["tokens"] as JsonArray)?.Select(t => (string?)t ?? "").ToList()
            ?? throw new EndpointProtocolException($"{_completions} returned no logprobs.tokens");
        var values = (logprobs["token_logprobs"] as JsonArray)?.Select(v => v is null ? (double?)null : v.GetValue<double>()).ToList()
            ?? throw new EndpointProtocolException($"{_completions} returned no logprobs.token_logprobs; prompt log-probabilities are required");
        var offsets = (logprobs["text_offset"] as JsonArray)?.Select(o => (int?)o ?? 0).ToList();
        var top = logprobs["top_logprobs"] as JsonArray;
        var greedyFlags = logprobs["levain_greedy"] as JsonArray;
        var promptTokenCount = tokens.Count;
        if (_isZeroMaxTokensRejected && !rolling && offsets is not null)
        {
            promptTokenCount = offsets.Count(o => o < prompt.Length);
        }
        if (values.Count < promptTokenCount)
        {
            throw new EndpointProtocolException(
                $"{_completions} returned {values.Count} prompt log-probabilities for {promptTokenCount} prompt tokens; " +
                "the server does not return prompt log-probabilities (with echo), so it cannot score answers");
        }
        var greedy = new bool[promptTokenCount];
        for (var k = rolling ? 0 : 1; k < promptTokenCount; k++)
        {
            if (values[k] is not { } value || double.IsNaN(value) || value > 1e-4)
            {
                throw new EndpointProtocolException(
                    $"{_completions} returned no valid log-probability for prompt token {k} ('{tokens[k]}'); " +
                    "the server does not return prompt log-probabilities, so it cannot score answers");
            }
            greedy[k] = IsGreedy(k, tokens[k], value, top, greedyFlags);
        }
        return new EchoedCompletion(
            tokens.Take(promptTokenCount).ToArray(),
            values.Take(promptTokenCount).ToArray(),
            greedy,
            (offsets ?? Enumerable.Repeat(0, promptTokenCount).ToList()).Take(promptTokenCount).ToArray());
    }

    private static bool IsGreedy(int k, string token, double logProb, JsonArray? top, JsonArray? greedyFlags)
    {
        if (greedyFlags is not null && k < greedyFlags.Count && greedyFlags[k] is JsonValue flag)
        {
            return flag.GetValue<bool>();
        }
        if (top is not null && k < top.Count && top[k] is JsonObject alternatives && alternatives.Count > 0)
        {
            return alternatives.ContainsKey(token) || alternatives.All(a => a.Value is null || a.Value.GetValue<double>() <= logProb + 1e-6);
        }
        return false;
    }

    private async Task<JsonObject> PostAsync(JsonObject body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsJsonAsync(_completions, body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new EndpointProtocolException($"cannot reach {_completions}: {e.Message}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = new EndpointProtocolException($"{_completions} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(text)}");
                error.Data["status"] = response.StatusCode;
                throw error;
            }
            try
            {
                return JsonNode.Parse(text) as JsonObject ?? throw new EndpointProtocolException($"{_completions} answered with a non-object: {Truncate(text)}");
            }
            catch (JsonException e)
            {
                throw new EndpointProtocolException($"{_completions} answered with invalid JSON: {Truncate(text)}", e);
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
