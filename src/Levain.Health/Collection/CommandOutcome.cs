namespace Levain.Health.Collection;

/// <summary>
/// What running one command produced. On a timeout <see cref="StandardOutput"/> is whatever the command printed before
/// it was killed (kept, never thrown away).
/// </summary>
public sealed record CommandOutcome(int ExitCode, string StandardOutput, string StandardError, bool IsTimedOut, TimeSpan Duration)
{
    /// <summary>POSIX shells exit 127 when the command is not found.</summary>
    public const int NotFoundExitCode = 127;

    /// <summary>GNU <c>timeout</c> exits 124 when the command ran out of time (137 after the follow-up kill).</summary>
    public bool IsTimeoutExit => IsTimedOut || ExitCode is 124 or 137;

    /// <summary>
    /// The command did not die after SIGKILL within the grace period (a process in uninterruptible sleep, "D state",
    /// typically inside a wedged GPU driver) and was left behind rather than waited for.
    /// </summary>
    public bool IsAbandoned { get; init; }

    /// <summary>Output beyond the capture limit was dropped.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>A leftover child kept the output pipe open after the command exited; what arrived before the deadline is kept.</summary>
    public bool IsPipeHeldOpen { get; init; }
}
