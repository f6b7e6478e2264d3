namespace Levain.Evals.Backends;

/// <summary>
/// A completions endpoint answered in a way that makes scoring impossible (no prompt log-probabilities, a token count
/// that does not match, an HTTP error). Scoring stops with this message rather than producing a chance-level score.
/// </summary>
public sealed class EndpointProtocolException : Exception
{
    public EndpointProtocolException() { }

    public EndpointProtocolException(string message) : base(message) { }

    public EndpointProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
