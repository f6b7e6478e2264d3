using Levain.Studies.Trials;

namespace Levain.Runner.Protocol;

/// <summary>
/// What to do with a trial once its program ended: record <see cref="Outcome"/>, or (when <see cref="RequeueReason"/>
/// is set) give the point back to be run again because the failure was not the parameters' fault.
/// </summary>
public sealed record TrialDecision(TrialOutcome? Outcome, string? RequeueReason)
{
    public bool IsRequeue => RequeueReason is not null;
}
