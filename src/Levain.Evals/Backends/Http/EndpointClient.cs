using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Levain.Evals.Backends.Http;

/// <summary>
/// JSON over HTTP to a model server with the failure handling real servers need: a Polly pipeline of retries with
/// jittered exponential backoff (429, 5xx, timeouts, connection resets) around a per-attempt timeout, a limit on
/// requests in flight, a bearer API key, and errors told apart by status and body (<see cref="EndpointErrorKind"/>).
/// The <see cref="HttpClient"/>'s own timeout is not used (the pipeline's is), so give it an infinite one.
/// </summary>
public sealed class EndpointClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly EndpointOptions _options;
    private readonly SemaphoreSlim _inFlight;
    private readonly ResiliencePipeline<RawResponse> _pipeline;

    public EndpointClient(HttpClient http, EndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        _http = http;
        _options = options;
        _inFlight = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var builder = new ResiliencePipelineBuilder<RawResponse> { TimeProvider = options.Clock };
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RawResponse>
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<RawResponse>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.Status)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } after && after <= options.MaxRetryDelay ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } e ? e.GetType().Name + ": " + e.Message : $"HTTP {args.Outcome.Result!.Status}";
                    options.OnRetry?.Invoke(args.AttemptNumber + 1, reason, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    public EndpointOptions Options => _options;

    /// <summary>How many HTTP attempts were made (retries included).</summary>
    public int Attempts => _attempts;

    private int _attempts;

    public Task<JsonObject> PostAsync(Uri uri, JsonObject body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, uri, body, cancellationToken);

    public Task<JsonObject> GetAsync(Uri uri, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, uri, null, cancellationToken);

    private async Task<JsonObject> SendAsync(HttpMethod method, Uri uri, JsonObject? body, CancellationToken cancellationToken)
    {
        var payload = body?.ToJsonString();
        RawResponse response;
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    Interlocked.Increment(ref _attempts);
                    using var request = new HttpRequestMessage(method, uri);
                    if (payload is not null)
                    {
                        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                    }
                    if (!string.IsNullOrEmpty(_options.ApiKey))
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                    }
                    using var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                    var text = await answer.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    return new RawResponse((int)answer.StatusCode, text, RetryAfterOf(answer.Headers.RetryAfter, _options.Clock));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new EndpointProtocolException(
                $"{uri} did not answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({_options.Retries + 1} attempts); raise --timeout",
                EndpointErrorKind.Timeout, null, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new EndpointProtocolException($"cannot reach {uri}: {e.Message}", EndpointErrorKind.Unreachable, null, e);
        }
        finally
        {
            _inFlight.Release();
        }
        if (response.Status is < 200 or > 299)
        {
            throw ErrorOf(uri, response.Status, response.Body);
        }
        try
        {
            return JsonNode.Parse(response.Body) as JsonObject
                ?? throw new EndpointProtocolException($"{uri} answered with a non-object: {Truncate(response.Body)}");
        }
        catch (JsonException e)
        {
            throw new EndpointProtocolException($"{uri} answered with invalid JSON: {Truncate(response.Body)}", EndpointErrorKind.InvalidResponse, response.Status, e);
        }
    }

    /// <summary>Whether a status is worth another attempt: 408, 429 and every 5xx.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or >= 500;

    /// <summary>
    /// Classifies an error answer by status and body. The message comes from OpenAI's <c>{"error": {"message"}}</c> or
    /// vLLM's older flat <c>{"object": "error", "message"}</c>; a 400 about the context length (vLLM: "maximum context
    /// length", OpenAI: "context_length_exceeded", TGI: "must have less than") is told apart from one about max_tokens.
    /// </summary>
    public static EndpointProtocolException ErrorOf(Uri uri, int status, string body)
    {
        var message = ErrorMessageOf(body);
        var lowered = message.ToLowerInvariant();
        var kind = status switch
        {
            401 or 403 => EndpointErrorKind.Unauthorized,
            404 => EndpointErrorKind.NotFound,
            408 => EndpointErrorKind.Timeout,
            429 => EndpointErrorKind.RateLimited,
            >= 500 => EndpointErrorKind.ServerError,
            _ when lowered.Contains("context length", StringComparison.Ordinal) || lowered.Contains("context_length", StringComparison.Ordinal)
                || lowered.Contains("too long", StringComparison.Ordinal) || lowered.Contains("must have less than", StringComparison.Ordinal)
                || lowered.Contains("max_model_len", StringComparison.Ordinal)
                || lowered.Contains("`inputs` tokens", StringComparison.Ordinal) => EndpointErrorKind.ContextLengthExceeded,
            _ when lowered.Contains("max_tokens", StringComparison.Ordinal) => EndpointErrorKind.MaxTokensRejected,
            _ => EndpointErrorKind.BadRequest,
        };
        var advice = kind switch
        {
            EndpointErrorKind.Unauthorized => " (give --api-key or set OPENAI_API_KEY)",
            EndpointErrorKind.ContextLengthExceeded => " (the prompt does not fit the model's context; give --max-length, or use a server with /tokenize so Levain can truncate and window)",
            _ => "",
        };
        return new EndpointProtocolException($"{uri} answered {status}: {Truncate(message)}{advice}", kind, status);
    }

    private static string ErrorMessageOf(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                var error = json["error"];
                if (error is JsonObject inner && inner["message"] is JsonValue m)
                {
                    return m.ToString();
                }
                if (error is JsonValue flat)
                {
                    return flat.ToString();
                }
                if (json["message"] is JsonValue message)
                {
                    return message.ToString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw body is the message.
        }
        return body;
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, TimeProvider clock)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    internal static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";

    public void Dispose() => _inFlight.Dispose();

    private sealed record RawResponse(int Status, string Body, TimeSpan? RetryAfter);
}
