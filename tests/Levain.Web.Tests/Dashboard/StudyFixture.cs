using Levain.Studies;
using Levain.Studies.Trials;
using Levain.TestSupport;
using Levain.Tuning;
using Levain.Tuning.Spaces;
using Levain.Web.Dashboard;

namespace Levain.Web.Tests.Dashboard;

/// <summary>A real SQLite study (the store <c>levain tune</c> writes) that tests fill and finish trials in.</summary>
internal sealed class StudyFixture : IAsyncDisposable
{
    public const string Name = "dash";

    private readonly IStudyStore _store;

    private StudyFixture(TempDirectory directory, IStudyStore store)
    {
        Directory = directory;
        _store = store;
    }

    public TempDirectory Directory { get; }

    public string Storage => "sqlite:" + Directory["study.db"];

    public string LogDirectory => Directory["logs"];

    public static readonly StudySpec Spec = new()
    {
        Name = Name,
        CostSource = "steps",
        Parameters = [ParameterSpec.Log("lr", 1e-3, 1e-6, 1), ParameterSpec.Log("steps", 100, 10, 1e6)],
    };

    public static async Task<StudyFixture> CreateAsync()
    {
        var directory = new TempDirectory("levain-dash-");
        System.IO.Directory.CreateDirectory(directory["logs"]);
        var store = StudyStorage.Open("sqlite:" + directory["study.db"], directory.Path);
        await store.EnsureStudyAsync(Spec);
        return new StudyFixture(directory, store);
    }

    public DashboardStudySource Source => new(Storage, Directory.Path, null, LogDirectory);

    /// <summary>Leases a new trial with these parameters (state running).</summary>
    public async Task<TrialLease> StartAsync(double lr, double steps)
    {
        var lease = await _store.ClaimTrialAsync(Name, new LeaseOptions("test", TimeSpan.FromHours(1)), _ =>
            new TrialProposal(Guid.NewGuid().ToString("N"), new Dictionary<string, ParamValue> { ["lr"] = lr, ["steps"] = steps }, SuggestionPhase.Bayesian, null));
        return lease!;
    }

    public async Task FinishAsync(TrialLease lease, double loss, double steps) =>
        Assert.True(await _store.FinishTrialAsync(lease, new TrialOutcome(TrialState.Succeeded, loss, steps, 1.5, $"{{\"loss\": {loss}}}", null)));

    public async Task FailAsync(TrialLease lease, string reason) =>
        Assert.True(await _store.FinishTrialAsync(lease, new TrialOutcome(TrialState.Failed, null, null, 0.5, null, reason)));

    public async Task ProgressAsync(TrialLease lease, string json) => Assert.True(await _store.AppendProgressAsync(lease, json));

    /// <summary>A finished trial on a power-law front: lr = 0.1·steps^-0.5, loss = 10/ln(steps) (+ an off-front twin).</summary>
    public async Task AddPowerLawTrialsAsync(params double[] stepsList)
    {
        foreach (var steps in stepsList)
        {
            await FinishAsync(await StartAsync(0.1 * Math.Pow(steps, -0.5), steps), 10 / Math.Log(steps), steps);
            await FinishAsync(await StartAsync(0.5 * Math.Pow(steps, -0.5), steps), 10 / Math.Log(steps) + 1, steps);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Dispose();
    }
}
