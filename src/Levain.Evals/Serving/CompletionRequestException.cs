namespace Levain.Evals.Serving;

/// <summary>A client sent a request the server cannot answer; becomes an HTTP 400 with an OpenAI-style error body.</summary>
public sealed class CompletionRequestException : Exception
{
    public CompletionRequestException() { }

    public CompletionRequestException(string message) : base(message) { }

    public CompletionRequestException(string message, Exception innerException) : base(message, innerException) { }
}
