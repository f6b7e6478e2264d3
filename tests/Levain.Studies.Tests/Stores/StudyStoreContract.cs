using Levain.Studies.Tests.Support;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies.Tests.Stores;

/// <summary>
/// The behaviour every <see cref="IStudyStore"/> must have, run against each real backend by a one-line sealed
/// subclass. Each test uses its own study name, so the backends' databases can be shared.
/// </summary>
public abstract partial class StudyStoreContract<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStudyStoreFixture
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected IStudyStore NewStore() => fixture.Create(Clock);

    protected static StudySpec Spec(string? name = null) => new()
    {
        Name = name ?? "contract-" + Guid.NewGuid().ToString("N")[..12],
        Direction = Direction.Minimize,
        Metric = "loss",
        CostSource = "steps",
        Parameters = [ParameterSpec.Linear("x", 0, -1000, 1000), ParameterSpec.Categorical("opt", ["adamw", "lion"])],
    };

    /// <summary>Proposes x = number of trials so far, so each new trial's parameters identify it.</summary>
    protected static TrialProposal? Next(ClaimContext context) => new(
        $"s{context.Trials.Count + 1}",
        new Dictionary<string, ParamValue> { ["x"] = context.Trials.Count, ["opt"] = "adamw" },
        SuggestionPhase.Random,
        $"checkpoint-{context.Trials.Count + 1}");

    protected static LeaseOptions Lease(string worker = "w1", ReclaimPolicy policy = ReclaimPolicy.Retry, int maxAttempts = 3) =>
        new(worker, Ttl, policy, maxAttempts);

    protected static TrialOutcome Success(double output, double cost = 100) => new(TrialState.Succeeded, output, cost, 1.5, $"{{\"loss\": {output}}}", null);

    [Fact]
    public async Task EnsureStudy_NewName_CreatesStudyWithItsSpec()
    {
        await using var store = NewStore();
        var spec = Spec();
        var record = await store.EnsureStudyAsync(spec);
        Assert.Equal(spec.Name, record.Name);
        Assert.True(record.Spec.HasSameObjective(spec));
        Assert.Equal(Clock.GetUtcNow(), record.CreatedAt);
        Assert.Null(record.TunerCheckpoint);
        var found = await store.FindStudyAsync(spec.Name);
        Assert.NotNull(found);
        Assert.Equal("steps", found.Spec.CostSource);
        Assert.Equal(ParameterKind.Categorical, found.Spec.Parameters[1].Kind);
    }

    [Fact]
    public async Task EnsureStudy_ExistingName_KeepsOriginalSpec()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var changed = spec with { Metric = "accuracy" };
        var record = await store.EnsureStudyAsync(changed);
        Assert.Equal("loss", record.Spec.Metric);
        Assert.False(record.Spec.HasSameObjective(changed));
    }

    [Fact]
    public async Task FindStudy_UnknownName_ReturnsNull()
    {
        await using var store = NewStore();
        Assert.Null(await store.FindStudyAsync("no-such-study-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task ClaimTrial_WithProposal_LeasesNumberedRunningTrialAndStoresCheckpoint()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var first = await store.ClaimTrialAsync(spec.Name, Lease(), Next);
        var second = await store.ClaimTrialAsync(spec.Name, Lease("w2"), Next);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(1, first.Number);
        Assert.Equal(2, second.Number);
        Assert.Equal(1, first.Attempt);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(Clock.GetUtcNow() + Ttl, first.ExpiresAt);
        var trials = await store.GetTrialsAsync(spec.Name);
        Assert.All(trials, t => Assert.Equal(TrialState.Running, t.State));
        Assert.Equal(["w1", "w2"], trials.Select(t => t.WorkerId));
        Assert.Equal(1.0, trials[1].Parameters["x"].Number);
        Assert.Equal("adamw", trials[1].Parameters["opt"].Choice);
        Assert.Equal("s2", trials[1].SuggestionId);
        Assert.Equal("checkpoint-2", (await store.FindStudyAsync(spec.Name))!.TunerCheckpoint);
    }

    [Fact]
    public async Task ClaimTrial_ProposerDeclines_ReturnsNullAndAddsNothing()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        Assert.Null(await store.ClaimTrialAsync(spec.Name, Lease(), _ => null));
        Assert.Empty(await store.GetTrialsAsync(spec.Name));
    }

    [Fact]
    public async Task ClaimTrial_UnknownStudy_Throws()
    {
        await using var store = NewStore();
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ClaimTrialAsync("missing-" + Guid.NewGuid().ToString("N"), Lease(), Next));
    }

    [Fact]
    public async Task FinishTrial_WithLiveLease_RecordsOutcomeOnce()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var lease = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await store.FinishTrialAsync(lease, Success(2.5, 300)));
        Assert.False(await store.FinishTrialAsync(lease, Success(1.0, 300)));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(TrialState.Succeeded, trial.State);
        Assert.Equal(2.5, trial.Output);
        Assert.Equal(300, trial.Cost);
        Assert.Equal(1.5, trial.ElapsedSeconds);
        Assert.Equal(Clock.GetUtcNow(), trial.FinishedAt);
        Assert.Contains("2.5", trial.ResultJson, StringComparison.Ordinal);
        Assert.Null(trial.LeaseExpiresAt);
    }

    [Fact]
    public async Task FinishTrial_Failure_KeepsReasonAndNonFiniteOutputAsNull()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var lease = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        Assert.True(await store.FinishTrialAsync(lease, new TrialOutcome(TrialState.Failed, double.NaN, 50, 0.2, null, "exited with code 3")));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Null(trial.Output);
        Assert.Equal(50, trial.Cost);
        Assert.Equal("exited with code 3", trial.FailureReason);
    }

    [Fact]
    public async Task Heartbeat_LiveLease_ExtendsExpiry()
    {
        await using var store = NewStore();
        var spec = Spec();
        await store.EnsureStudyAsync(spec);
        var lease = (await store.ClaimTrialAsync(spec.Name, Lease(), Next))!;
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.HeartbeatAsync(lease, Ttl));
        Clock.Advance(TimeSpan.FromSeconds(20)); // 40 s after the claim, 20 s after the heartbeat: still leased.
        Assert.Equal(0, await store.ReclaimExpiredAsync(spec.Name, ReclaimPolicy.Retry, 3));
        var trial = Assert.Single(await store.GetTrialsAsync(spec.Name));
        Assert.Equal(TrialState.Running, trial.State);
        Assert.True(await store.FinishTrialAsync(lease, Success(1)));
    }
}
