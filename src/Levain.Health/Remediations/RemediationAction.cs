using Levain.Health.Results;

namespace Levain.Health.Remediations;

/// <summary>
/// One thing to do about a node. <see cref="Command"/> is the idempotent shell command <c>--apply</c> runs; null means
/// the action needs a person (reseat a cable, RMA a part) and is only ever printed.
/// </summary>
public sealed record RemediationAction(Remediation Kind, string Host, string Subject, string Reason, string? Command)
{
    public bool IsAutomatic => Command is not null;

    /// <summary>
    /// The events this action answers (see <see cref="RemediationPlanner.EventIdentity"/>); <c>--apply</c> runs it
    /// again only when one of them is not yet in the remediation ledger.
    /// </summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    public string Name => RemediationNames.Name(Kind);
}
