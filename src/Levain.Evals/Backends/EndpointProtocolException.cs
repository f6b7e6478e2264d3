using Levain.Evals.Backends.Http;

namespace Levain.Evals.Backends;

/// <summary>
/// A completions endpoint answered in a way that makes scoring impossible (no prompt log-probabilities, a token count
/// that does not match, an HTTP error that retries did not cure). Scoring stops with this message rather than producing
/// a chance-level score. <see cref="Kind"/> tells the failures apart (a prompt longer than the model's context, a rate
/// limit, a server error, a timeout, …); <see cref="StatusCode"/> is the HTTP status when there was one.
/// </summary>
public sealed class EndpointProtocolException : Exception
{
    public EndpointProtocolException() { }

    public EndpointProtocolException(string message) : base(message) { }

    public EndpointProtocolException(string message, Exception innerException) : base(message, innerException) { }

    public EndpointProtocolException(string message, EndpointErrorKind kind, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public EndpointErrorKind Kind { get; } = EndpointErrorKind.InvalidResponse;

    public int? StatusCode { get; }
}
