using System.Globalization;
using Levain.Runner.Definition;
using Levain.Runner.Launchers;
using Levain.Runner.Tests.Support;
using Levain.Runner.Tune;
using Levain.Studies.Stores;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;
using Npgsql;

namespace Levain.Runner.Tests.Tune;

/// <summary>
/// A worker partitioned from PostgreSQL (through a TCP proxy the test silences) for longer than the lease: it kills its
/// trial and claims no more; another worker reclaims the trial once the lease expires by the server's clock, and the
/// point is recorded exactly once.
/// </summary>
public sealed class TuneSessionPartitionTests : IDisposable
{
    /// <summary>The first attempt records its pid and hangs; later attempts report at once.</summary>
    private const string Objective = """
        import json, os, sys, time
        x = float(sys.argv[1])
        if os.environ["LEVAIN_ATTEMPT"] == "1":
            open("hanging.pid", "w").write(str(os.getpid()))
            time.sleep(120)
        json.dump({"loss": (x - 0.3) ** 2}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Worker_PartitionedLongerThanTtl_KillsTrialStopsClaiming_TrialReclaimedAndRecordedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var direct = Requirement.PostgresConnectionString();
        var target = new NpgsqlConnectionStringBuilder(direct);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(direct) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3, CommandTimeout = 5, CancellationTimeout = 1000 }.ConnectionString;
        _dir.File("objective.py", Objective);
        var ttl = TimeSpan.FromSeconds(3);
        var study = new StudyDefinition
        {
            Name = "partition-" + Guid.NewGuid().ToString("N")[..10],
            Command = ["python3", "objective.py", "{x}"],
            Parameters = [ParameterSpec.Linear("x", 0.0, -2, 2)],
            WorkingDirectory = _dir.Path,
            Tuner = new CarbsOptions { Seed = 4 },
            Budget = new StudyBudget(1, null, null),
            Workers = 1,
            Storage = "postgres:(set per worker)",
            BaseDirectory = _dir.Path,
            LogDirectory = Path.Combine(_dir.Path, "logs"),
            LeaseTimeToLive = ttl,
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        };

        await using var cutOff = new PostgresStudyStore(viaProxy);
        var partitioned = new TuneSession(study, cutOff, new LocalLauncher(), new TuneSessionOptions { WorkerId = "cut-off" });
        var running = partitioned.RunAsync(null, CancellationToken.None);
        var pidFile = Path.Combine(_dir.Path, "hanging.pid");
        for (var i = 0; i < 300 && !File.Exists(pidFile); i++) await Task.Delay(100, ct);
        Assert.True(File.Exists(pidFile), "the first attempt never started");
        await Task.Delay(200, ct);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile, ct), CultureInfo.InvariantCulture);

        proxy.Partition();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await running.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(TuneOutcome.StoreUnreachable, summary.Outcome);
        Assert.True(!IsAlive(pid), $"the partitioned worker's trial {pid} is still running");
        Assert.InRange(clock.Elapsed, ttl - TimeSpan.FromSeconds(1), ttl + TimeSpan.FromSeconds(15));

        await using var healthy = new PostgresStudyStore(direct);
        var rescuer = new TuneSession(study, healthy, new LocalLauncher(), new TuneSessionOptions { WorkerId = "rescuer", JoinExistingOnly = true });
        var rescued = await rescuer.RunAsync(null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Equal(TuneOutcome.BudgetReached, rescued.Outcome);
        var trial = Assert.Single(await healthy.GetTrialsAsync(study.Name, ct));
        Assert.Equal(TrialState.Succeeded, trial.State);
        Assert.Equal(2, trial.Attempt);
        Assert.StartsWith("rescuer", trial.WorkerId, StringComparison.Ordinal);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => _dir.Dispose();
}
