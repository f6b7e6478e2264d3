namespace Levain.Evals.Serving;

/// <summary>
/// Where and as what the completions server listens. Port 0 picks a free port (read it back from
/// <see cref="CompletionsServer.Port"/>). The host defaults to loopback; "0.0.0.0" listens on every interface.
/// </summary>
public sealed record CompletionsServerOptions(string Host = "127.0.0.1", int Port = 0, string? ModelName = null, int MaxTokensLimit = 4096)
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
