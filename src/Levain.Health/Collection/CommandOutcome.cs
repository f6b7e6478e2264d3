namespace Levain.Health.Collection;

/// <summary>What running one command produced.</summary>
public sealed record CommandOutcome(int ExitCode, string StandardOutput, string StandardError, bool IsTimedOut, TimeSpan Duration)
{
    /// <summary>POSIX shells exit 127 when the command is not found.</summary>
    public const int NotFoundExitCode = 127;

    /// <summary>GNU <c>timeout</c> exits 124 when the command ran out of time (137 after the follow-up kill).</summary>
    public bool IsTimeoutExit => IsTimedOut || ExitCode is 124 or 137;
}
