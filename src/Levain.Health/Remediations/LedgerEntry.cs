namespace Levain.Health.Remediations;

/// <summary>
/// One remediation run for one event: which host, which action (kebab-case name), which event identity, the command,
/// when it was last tried, how often, and whether it worked.
/// </summary>
public sealed record LedgerEntry(
    string Host,
    string Remediation,
    string Event,
    string? Command,
    DateTimeOffset LastAttemptAt,
    int Attempts,
    bool Succeeded,
    int? ExitCode)
{
    /// <summary>The check id the event came from (the part of the identity before the first '|').</summary>
    public string CheckId => Event.Split('|')[0];
}
