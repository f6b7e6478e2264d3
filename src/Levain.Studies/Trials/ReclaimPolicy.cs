namespace Levain.Studies.Trials;

/// <summary>What happens to a trial whose worker stopped heartbeating (or whose node died).</summary>
public enum ReclaimPolicy
{
    /// <summary>Run the same point again (up to the maximum number of attempts), on any worker.</summary>
    Retry,

    /// <summary>Mark it abandoned; the tuner forgets the point.</summary>
    Forget,
}
