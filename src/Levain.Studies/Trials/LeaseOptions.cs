namespace Levain.Studies.Trials;

/// <summary>
/// How a worker leases trials: its id, the lease time-to-live (a lease not renewed within it is reclaimed), what a
/// reclaim does, and how many times one point may be leased before it is abandoned.
/// </summary>
public sealed record LeaseOptions(string WorkerId, TimeSpan TimeToLive, ReclaimPolicy Policy = ReclaimPolicy.Retry, int MaxAttempts = 3)
{
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TimeToLive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
    }
}
