namespace Levain.Studies.Trials;

/// <summary>
/// How a leased trial ended. <see cref="State"/> must be Succeeded, Failed or Abandoned. A succeeded trial carries
/// its metric (<see cref="Output"/>) and <see cref="Cost"/>; a failed one its <see cref="FailureReason"/>.
/// </summary>
public sealed record TrialOutcome(
    TrialState State,
    double? Output,
    double? Cost,
    double? ElapsedSeconds,
    string? ResultJson,
    string? FailureReason)
{
    public void Validate()
    {
        if (State is TrialState.Suggested or TrialState.Running)
        {
            throw new ArgumentException($"A trial outcome must be final, not {State}.", nameof(State));
        }
        if (State == TrialState.Succeeded && (Output is null || Cost is null))
        {
            throw new ArgumentException("A succeeded trial needs an output and a cost.", nameof(Output));
        }
    }
}
