using Levain.Studies.Stores;
using Levain.Studies.Tests.Support;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Tests.Stores;

/// <summary>
/// Leases on PostgreSQL are timed by the server's clock: a worker whose own clock runs an hour ahead reclaims nothing
/// that is alive, one whose clock runs an hour behind cannot keep a dead lease, and expiry follows real server time.
/// </summary>
public sealed class PostgresLeaseClockTests
{
    private static readonly StudySpec Spec = new()
    {
        Name = "clock-" + Guid.NewGuid().ToString("N")[..12],
        Parameters = [ParameterSpec.Linear("x", 0, -10, 10)],
    };

    private static TrialProposal? Next(ClaimContext context) => new(
        $"s{context.Trials.Count + 1}", new Dictionary<string, ParamValue> { ["x"] = context.Trials.Count }, SuggestionPhase.Random, null);

    [Fact]
    public async Task Claim_WorkerClockAnHourAhead_DoesNotReclaimLiveLease_ExpiryFollowsServerClock()
    {
        var cs = Requirement.PostgresConnectionString();
        var ct = TestContext.Current.CancellationToken;
        var ahead = new ManualTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromHours(1));
        var behind = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        await using var honest = new PostgresStudyStore(cs);
        await using var fast = new PostgresStudyStore(cs, ahead);
        await using var slow = new PostgresStudyStore(cs, behind);
        await honest.EnsureStudyAsync(Spec, ct);
        var ttl = TimeSpan.FromSeconds(3);

        var live = (await honest.ClaimTrialAsync(Spec.Name, new LeaseOptions("honest", ttl), Next, ct))!;
        // The fast worker's clock says the lease expired an hour ago; the server says it has seconds left.
        var other = (await fast.ClaimTrialAsync(Spec.Name, new LeaseOptions("fast", ttl), Next, ct))!;
        Assert.NotEqual(live.Number, other.Number);
        Assert.True(await honest.HeartbeatAsync(live, ttl, ct));
        var stored = (await honest.GetTrialsAsync(Spec.Name, ct)).Single(t => t.Number == live.Number);
        Assert.InRange(stored.LeaseExpiresAt!.Value, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5));

        // The slow worker heartbeats its lease to "an hour ago + ttl" by its clock — but the server times it: it still
        // expires ttl after the server's now, and a claim after that reclaims it.
        var doomed = (await slow.ClaimTrialAsync(Spec.Name, new LeaseOptions("slow", ttl), Next, ct))!;
        Assert.True(await slow.HeartbeatAsync(doomed, ttl, ct));
        Assert.True(await honest.HeartbeatAsync(live, TimeSpan.FromMinutes(1), ct));
        Assert.True(await fast.HeartbeatAsync(other, TimeSpan.FromMinutes(1), ct));
        Assert.Equal(0, await honest.ReclaimExpiredAsync(Spec.Name, ReclaimPolicy.Retry, 3, ct));
        await Task.Delay(ttl + TimeSpan.FromSeconds(1), ct);
        Assert.Equal(1, await fast.ReclaimExpiredAsync(Spec.Name, ReclaimPolicy.Retry, 3, ct));
        var trials = await honest.GetTrialsAsync(Spec.Name, ct);
        Assert.Equal(TrialState.Suggested, trials.Single(t => t.Number == doomed.Number).State);
        Assert.All(trials.Where(t => t.Number != doomed.Number), t => Assert.Equal(TrialState.Running, t.State));
    }
}
