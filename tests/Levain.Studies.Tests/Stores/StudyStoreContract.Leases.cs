using Levain.Studies.Trials;

namespace Levain.Studies.Tests.Stores;

/// <summary>Contract: lease expiry, reclaim, requeue, progress and concurrent claimers.</summary>
public abstract partial class StudyStoreContract<TFixture>
{
    [Fact]
    public async Task ClaimTrial_ExpiredLeaseWithRetry_RerunsSamePointAndRefusesOldLease()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var dead = (await store.ClaimTrialAsync(spec.Name, Lease("dead"), Next))!;
        Clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        var retry = (await store.ClaimTrialAsync(spec.Name, Lease("alive"), _ => throw new InvalidOperationException("a retry must not ask the tuner")))!;
        Assert.Equal(dead.Number, retry.Number);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(dead.SuggestionId, retry.SuggestionId);
        Assert.Equal(dead.Parameters["x"], retry.Parameters["x"]);
        Assert.False(await store.HeartbeatAsync(dead, Ttl));
        Assert.False(await store.FinishTrialAsync(dead, Success(9)));
        Assert.True(await store.FinishTrialAsync(retry, Success(3)));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(3, trial.Output);
        Assert.Equal("alive", trial.WorkerId);
    }

    [Fact]
    public async Task ReclaimExpired_ForgetPolicy_AbandonsTrial()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var lease = (await store.ClaimTrialAsync(spec.Name, Lease(policy: ReclaimPolicy.Forget), Next))!;
        Clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await store.ReclaimExpiredAsync(spec.Name, ReclaimPolicy.Forget, 3));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(TrialState.Abandoned, trial.State);
        Assert.Contains("stopped heartbeating", trial.FailureReason, StringComparison.Ordinal);
        Assert.False(await store.FinishTrialAsync(lease, Success(1)));
    }

    [Fact]
    public async Task ReclaimExpired_AttemptsExhausted_AbandonsInsteadOfRetrying()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        await store.ClaimTrialAsync(spec.Name, Lease(maxAttempts: 2), Next);
        Clock.Advance(Ttl * 2);
        var second = await store.ClaimTrialAsync(spec.Name, Lease(maxAttempts: 2), Next);
        Assert.Equal(2, second!.Attempt);
        Clock.Advance(Ttl * 2);
        Assert.Equal(1, await store.ReclaimExpiredAsync(spec.Name, ReclaimPolicy.Retry, 2));
        Assert.Equal(TrialState.Abandoned, Assert.Single(await store.GetTrialsAsync(spec.Name)).State);
    }

    [Fact]
    public async Task RequeueTrial_InterruptedRun_IsClaimedAgainWithSameParameters()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var first = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        Assert.True(await store.RequeueTrialAsync(first, "node failed", maxAttempts: 3));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(TrialState.Suggested, trial.State);
        Assert.Equal("node failed", trial.FailureReason);
        var again = (await store.ClaimTrialAsync(spec.Name, Lease("w2"), Next))!;
        Assert.Equal(first.Number, again.Number);
        Assert.Equal(2, again.Attempt);
        Assert.False(await store.RequeueTrialAsync(first, "stale", 3));
    }

    [Fact]
    public async Task AppendProgress_LiveLease_StoredInOrderAndLastKept()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var lease = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        for (var step = 1; step <= 3; step++)
        {
            Assert.True(await store.AppendProgressAsync(lease, $"{{\"step\": {step}}}"));
        }
        Assert.True(await store.FinishTrialAsync(lease, Success(1)));
        Assert.False(await store.AppendProgressAsync(lease, "{\"step\": 4}"));
        var lines = await store.GetProgressAsync(spec.Name, lease.Number);
        Assert.Equal(["{\"step\": 1}", "{\"step\": 2}", "{\"step\": 3}"], lines.Select(l => l.Json));
        Assert.Equal("{\"step\": 3}", Assert.Single(await store.GetTrialsAsync(spec.Name)).LastProgressJson);
    }

    [Fact]
    public async Task ListStudies_CountsStatesAndBestOutput()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var a = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        var b = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        var c = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        await store.ClaimTrialAsync(spec.Name, Lease(), Next);
        await store.FinishTrialAsync(a, Success(4));
        await store.FinishTrialAsync(b, Success(2));
        await store.FinishTrialAsync(c, new TrialOutcome(TrialState.Succeeded, 7, 30, 1.5, """{"loss": 7, "early_stopped": {"rung": 0}}""", null));
        var summary = Assert.Single(await store.ListStudiesAsync(), s => s.Name == spec.Name);
        Assert.Equal((3, 1, 0), (summary.Succeeded, summary.Running, summary.Failed));
        Assert.Equal(1, summary.EarlyStopped);
        Assert.Equal(2, summary.BestOutput);
    }

    [Fact]
    public async Task ClaimTrial_ManyConcurrentClaimers_EachTrialLeasedAndRecordedExactlyOnce()
    {
        var spec = Spec();
        await using (var setup = NewStore()) await setup.EnsureStudyAsync(spec);
        const int Workers = 4, Budget = 24;
        TrialProposal? Budgeted(ClaimContext c) => c.Trials.Count >= Budget ? null : Next(c);
        var recorded = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            await using var store = NewStore(); // own connection(s), like a separate process
            var mine = new List<int>();
            while (await store.ClaimTrialAsync(spec.Name, Lease($"w{w}"), Budgeted) is { } lease)
            {
                Assert.True(await store.FinishTrialAsync(lease, Success(lease.Number)));
                mine.Add(lease.Number);
            }
            return mine;
        })));
        var all = recorded.SelectMany(r => r).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Budget), all);
        await using var reader = NewStore();
        var trials = await reader.GetTrialsAsync(spec.Name);
        Assert.Equal(Budget, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.All(trials, t => Assert.Equal(t.Number, t.Output));
        Assert.Equal(Budget, trials.Select(t => t.Parameters["x"].Number).Distinct().Count());
    }
}
