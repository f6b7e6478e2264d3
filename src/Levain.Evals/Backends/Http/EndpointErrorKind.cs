namespace Levain.Evals.Backends.Http;

/// <summary>What went wrong with an endpoint, told apart by HTTP status and error body.</summary>
public enum EndpointErrorKind
{
    /// <summary>The answer was not what the OpenAI completions protocol promises (missing fields, wrong counts).</summary>
    InvalidResponse,

    /// <summary>No connection could be made, or it was reset, on every attempt.</summary>
    Unreachable,

    /// <summary>Every attempt took longer than the timeout.</summary>
    Timeout,

    /// <summary>HTTP 429 on every attempt.</summary>
    RateLimited,

    /// <summary>HTTP 5xx on every attempt.</summary>
    ServerError,

    /// <summary>HTTP 401/403: the API key is missing or wrong.</summary>
    Unauthorized,

    /// <summary>HTTP 404: no such route or model.</summary>
    NotFound,

    /// <summary>HTTP 400 whose message says the prompt (plus max_tokens) exceeds the model's context length.</summary>
    ContextLengthExceeded,

    /// <summary>HTTP 400 whose message is about <c>max_tokens</c> (e.g. a server that rejects 0).</summary>
    MaxTokensRejected,

    /// <summary>Any other HTTP 4xx.</summary>
    BadRequest,
}
