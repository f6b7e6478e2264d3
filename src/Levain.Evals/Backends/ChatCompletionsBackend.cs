using System.Text.Json.Nodes;
using Levain.Evals.Backends.Http;
using Levain.Evals.Items;
using Levain.Evals.Tasks;

namespace Levain.Evals.Backends;

/// <summary>
/// Generates through an OpenAI-compatible <c>/v1/chat/completions</c> endpoint (instruct models behind vLLM, SGLang,
/// TGI or OpenAI; the server applies the model's chat template). Each prompt goes out as one user message (after an
/// optional system message) with <c>logprobs: true</c> and <c>top_logprobs</c>; the answer's
/// <c>choices[0].message.content</c> is cut at the task's stop sequences (the server gets at most four of them, as
/// OpenAI allows, and Levain cuts at all of them). Only generation tasks can be evaluated this way: a chat endpoint
/// returns log-probabilities of the tokens it generated, never of a given continuation, so log-likelihood scoring
/// (cloze, lettered, rolling perplexity) is refused (<see cref="UnsupportedFormatMessage"/>), as lm-eval refuses
/// loglikelihood requests on its chat-completions models. The self-test asks for a short greedy answer with
/// log-probabilities and fingerprints the model from it, so the result cache misses when the weights behind a name change.
/// </summary>
public sealed class ChatCompletionsBackend : IScoringBackend
{
    /// <summary>The known request the self-test sends.</summary>
    public const string SelfTestPrompt = "Count from one to five in words, separated by spaces.";

    /// <summary>At most this many stop sequences go to the server (OpenAI's limit); all of them are applied locally.</summary>
    public const int MaxServerStops = 4;

    private readonly EndpointClient _client;
    private readonly string _model;
    private readonly string? _systemPrompt;
    private readonly int _topLogprobs;
    private string? _fingerprint;

    private ChatCompletionsBackend(EndpointClient client, Uri chatUri, string model, string? systemPrompt, int topLogprobs)
    {
        _client = client;
        ChatUri = chatUri;
        _model = model;
        _systemPrompt = systemPrompt;
        _topLogprobs = topLogprobs;
    }

    /// <summary><c>chat:name@URL#fingerprint</c> after the self-test.</summary>
    public string ModelId => _fingerprint is null ? $"chat:{_model}@{ChatUri}" : $"chat:{_model}@{ChatUri}#{_fingerprint}";

    /// <summary>The tokenizer is the server's and is never seen; its identity is the model's.</summary>
    public string TokenizerId => $"tokenizer-of:{_model}@{ChatUri}";

    public Uri ChatUri { get; }

    /// <summary>The last completion of each prompt with its token log-probabilities (for inspection and tests).</summary>
    public IReadOnlyDictionary<string, ChatCompletion> Completions => _completions;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ChatCompletion> _completions = new(StringComparer.Ordinal);

    /// <summary>Which item formats this backend can evaluate: generation only.</summary>
    public static bool Supports(ItemFormat format) => format == ItemFormat.Generate;

    /// <summary>Why a task of <paramref name="format"/> cannot run through a chat endpoint.</summary>
    public static string UnsupportedFormatMessage(string task, ItemFormat format) =>
        $"task '{task}' needs {(format == ItemFormat.Rolling ? "the log-likelihood of whole texts (rolling perplexity)" : $"log-likelihoods of given answers ({format.ToString().ToLowerInvariant()} format)")}, " +
        "which /v1/chat/completions cannot give: it returns log-probabilities of the tokens it generates, never of a given continuation. " +
        "Use --endpoint without --chat (a /v1/completions endpoint with prompt log-probabilities), or a generation form of the task " +
        "(format: generate, or output_type: generate_until with a filter such as the first choice letter).";

    /// <summary>The refusal for the first task with items this backend cannot evaluate, or null when all can run.</summary>
    public static string? RefusalFor(IEnumerable<LoadedTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            var builder = new PromptBuilder(task.Manifest, task.Items);
            var unsupported = task.Items.Select(builder.FormatOf).Where(f => !Supports(f)).Select(f => (ItemFormat?)f).FirstOrDefault();
            if (unsupported is { } format)
            {
                return UnsupportedFormatMessage(task.Manifest.Name, format);
            }
        }
        return null;
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (a server root, a <c>/v1</c> base or the full <c>/v1/chat/completions</c>
    /// URL) and asks <c>/v1/models</c> for the model name. Does not self-test.
    /// </summary>
    public static async Task<ChatCompletionsBackend> ConnectAsync(
        EndpointClient client, string endpoint, string? model = null, string? systemPrompt = null, int topLogprobs = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegative(topLogprobs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(topLogprobs, 20);
        var chat = ChatUriOf(endpoint);
        var card = await ModelCard.FetchAsync(client, new Uri(chat, "../models"), model, cancellationToken).ConfigureAwait(false);
        return new ChatCompletionsBackend(client, chat, model ?? card?.Id ?? "default", systemPrompt, topLogprobs);
    }

    public static Uri ChatUriOf(string endpoint) => EndpointUris.Resolve(endpoint, "chat/completions");

    /// <summary>
    /// Asks for a short greedy answer to <see cref="SelfTestPrompt"/> with log-probabilities and checks the answer's
    /// shape: text, and one finite log-probability per generated token. On success the model is fingerprinted from the
    /// tokens and their rounded log-probabilities.
    /// </summary>
    public async Task<SelfTestResult> SelfTestAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var answer = await CompleteAsync(new GenerateRequest(SelfTestPrompt, [], 8), cancellationToken).ConfigureAwait(false);
            if (!answer.HasLogprobs || answer.Tokens.Count == 0)
            {
                return new SelfTestResult(false, $"{ChatUri} returned no choices[0].logprobs.content for a request with logprobs: true");
            }
            _fingerprint = EndpointUris.Fingerprint(_model, answer.Tokens);
            return new SelfTestResult(true, $"{ChatUri} answered with {answer.Tokens.Count} generated tokens and their log-probabilities (model fingerprint {_fingerprint})");
        }
        catch (EndpointProtocolException e)
        {
            return new SelfTestResult(false, e.Message);
        }
    }

    /// <exception cref="NotSupportedException">Always: see <see cref="UnsupportedFormatMessage"/>.</exception>
    public Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(UnsupportedFormatMessage("(log-likelihood)", ItemFormat.Cloze));

    /// <exception cref="NotSupportedException">Always: see <see cref="UnsupportedFormatMessage"/>.</exception>
    public Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(UnsupportedFormatMessage("(rolling)", ItemFormat.Rolling));

    public async Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return await Task.WhenAll(requests.Select(async r =>
        {
            var answer = await CompleteAsync(r, cancellationToken).ConfigureAwait(false);
            _completions[r.Prompt] = answer;
            return TokenizedScoring.CutAtStop(answer.Content, r.Stop);
        })).ConfigureAwait(false);
    }

    /// <summary>One chat completion of <paramref name="request"/>'s prompt as a user message.</summary>
    public async Task<ChatCompletion> CompleteAsync(GenerateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new JsonArray();
        if (_systemPrompt is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = _systemPrompt });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = request.Prompt });
        var body = new JsonObject
        {
            ["model"] = _model,
            ["messages"] = messages,
            ["max_tokens"] = request.MaxTokens,
            ["temperature"] = request.Temperature,
            ["seed"] = request.Seed,
            ["logprobs"] = true,
        };
        if (_topLogprobs > 0)
        {
            body["top_logprobs"] = _topLogprobs;
        }
        var stops = request.Stop.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Take(MaxServerStops).ToArray();
        if (stops.Length > 0)
        {
            body["stop"] = new JsonArray([.. stops.Select(s => (JsonNode)s)]);
        }
        var answer = await _client.PostAsync(ChatUri, body, cancellationToken).ConfigureAwait(false);
        return ChatCompletion.Parse(answer, ChatUri);
    }
}
