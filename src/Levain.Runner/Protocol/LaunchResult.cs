namespace Levain.Runner.Protocol;

/// <summary>
/// What a launcher observed: how the program ended, its exit code and signal when known, the result object it reported
/// (from LEVAIN_RESULT or a <c>levain-result</c> line), the last lines of stderr, its wall time and a reason in words.
/// </summary>
public sealed record LaunchResult(
    LaunchStatus Status,
    int? ExitCode,
    int? Signal,
    string? ResultJson,
    IReadOnlyList<string> StderrTail,
    TimeSpan Elapsed,
    string? Reason);
