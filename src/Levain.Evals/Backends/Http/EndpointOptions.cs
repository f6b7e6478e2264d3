namespace Levain.Evals.Backends.Http;

/// <summary>
/// How Levain talks to an HTTP model endpoint: a per-attempt <see cref="Timeout"/>, <see cref="Retries"/> extra attempts
/// with jittered exponential backoff (from <see cref="RetryDelay"/>, at most <see cref="MaxRetryDelay"/>, or the
/// server's <c>Retry-After</c>) on 429, 5xx, timeouts and dropped connections, at most <see cref="Concurrency"/>
/// requests in flight, and an optional bearer <see cref="ApiKey"/>. <see cref="MaxLength"/> overrides the model's
/// context length (default: <c>max_model_len</c> from the server, else 2048); <see cref="PrefixTokenId"/> is the
/// token that stands before a text with no context (GPT-2's end-of-text 50256, for instance) when the tokenizer adds
/// no beginning-of-sequence token itself.
/// </summary>
public sealed record EndpointOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public int Retries { get; init; } = 5;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int Concurrency { get; init; } = 8;

    public string? ApiKey { get; init; }

    public int? MaxLength { get; init; }

    public int? PrefixTokenId { get; init; }

    /// <summary>The clock Polly waits on (fake it in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Called before each retry with the attempt number, the reason and the delay (for progress output).</summary>
    public Action<int, string, TimeSpan>? OnRetry { get; init; }

    /// <summary>The context length assumed when neither the user nor the server gives one (lm-eval's default).</summary>
    public const int DefaultMaxLength = 2048;
}
