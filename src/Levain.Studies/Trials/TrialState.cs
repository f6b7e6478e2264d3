namespace Levain.Studies.Trials;

/// <summary>
/// A trial's lifecycle: <see cref="Suggested"/> → <see cref="Running"/> (leased by a worker, heartbeating) →
/// <see cref="Succeeded"/> | <see cref="Failed"/> | <see cref="Abandoned"/>. A running trial whose lease expires goes
/// back to <see cref="Suggested"/> (retry) or to <see cref="Abandoned"/> (forget).
/// </summary>
public enum TrialState
{
    Suggested,
    Running,
    Succeeded,
    Failed,
    Abandoned,
}
