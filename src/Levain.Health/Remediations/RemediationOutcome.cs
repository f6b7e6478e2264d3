namespace Levain.Health.Remediations;

/// <summary>
/// What applying one action did. Not run: <see cref="RemediationExecutor"/> gives "needs a person" (no command) or,
/// with a ledger, <see cref="AlreadyDone"/> (the entry showing it ran before for the same events).
/// </summary>
public sealed record RemediationOutcome(RemediationAction Action, bool IsApplied, int? ExitCode, string Output)
{
    public LedgerEntry? AlreadyDone { get; init; }
}
