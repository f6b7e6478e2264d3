namespace Levain.Runner.Protocol;

/// <summary>
/// One run of a trial program: its argv (placeholders already substituted), working directory, environment (including
/// LEVAIN_TRIAL_ID, LEVAIN_PARAMS and LEVAIN_RESULT), the log file for its stdout and stderr, the result file it may
/// write, and an optional timeout.
/// </summary>
public sealed record TrialLaunch(
    string TrialId,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string LogPath,
    string ResultPath,
    TimeSpan? Timeout);
