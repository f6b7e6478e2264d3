namespace Levain.Health.Collection;

/// <summary>
/// One command to capture: the bundle file it fills, the shell command line, its timeout, and the exit codes that
/// still mean "this output is an answer" (<c>systemctl is-active</c> exits 3 for an inactive unit).
/// </summary>
public sealed record CommandSpec(string File, string Command, TimeSpan Timeout, IReadOnlySet<int> AnswerExitCodes);
