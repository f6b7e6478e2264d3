using Levain.Runner.StudyFiles;
using Levain.Studies;
using Levain.Studies.Stores;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;

namespace Levain.Cli.Tests.Study;

/// <summary>
/// Crash-safety of real <c>levain</c> processes: SIGKILL mid-study then resume (SQLite); four workers on one
/// PostgreSQL study; a worker killed mid-trial whose lease another worker reclaims.
/// </summary>
public sealed class TuneProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly StudyTestFiles _files = new();

    [Fact]
    public async Task Tune_SigkillMidStudyThenResume_NoLostOrDuplicatedObservations()
    {
        var ct = TestContext.Current.CancellationToken;
        var study = _files.Study("crash", trials: 12, workers: 2, firstDelay: 0.4, laterDelay: 0.4);
        await using var store = new SqliteStudyStore(Path.Combine(_files.Path, "studies.db"));

        using (var first = LevainProcess.Start(_files.Path, "tune", study, "--json"))
        {
            IReadOnlyList<TrialRecord> trials = [];
            for (var i = 0; i < 600 && trials.Count(t => t.State == TrialState.Succeeded) < 4; i++)
            {
                await Task.Delay(100, ct);
                if (File.Exists(Path.Combine(_files.Path, "studies.db"))) trials = await SafeTrialsAsync(store, "crash");
            }
            Assert.True(trials.Count(t => t.State == TrialState.Succeeded) >= 4, $"no progress before the kill: {first.Stderr}");
            first.KillHard();
        }
        var beforeResume = await store.GetTrialsAsync("crash", ct);
        var doneBefore = beforeResume.Where(t => t.State == TrialState.Succeeded).ToList();
        var runningAtKill = beforeResume.Where(t => t.State == TrialState.Running).Select(t => t.Number).ToList();

        using (var resume = LevainProcess.Start(_files.Path, "tune", study, "--json"))
        {
            var code = await resume.WaitAsync(Limit);
            Assert.True(code == 0, $"resume exited {code}: {resume.Stderr}\n{resume.Stdout}");
            Assert.Contains("\"outcome\":\"budget_reached\"", resume.Stdout, StringComparison.Ordinal);
        }

        var after = await store.GetTrialsAsync("crash", ct);
        Assert.Equal(Enumerable.Range(1, 12), after.Select(t => t.Number));
        Assert.All(after, t => Assert.Equal(TrialState.Succeeded, t.State));
        foreach (var before in doneBefore)
        {
            var now = after.Single(t => t.Number == before.Number);
            Assert.Equal((before.Output, before.Cost, before.FinishedAt, before.Attempt), (now.Output, now.Cost, now.FinishedAt, now.Attempt));
        }
        foreach (var number in runningAtKill)
        {
            Assert.True(after.Single(t => t.Number == number).Attempt >= 2, $"trial {number} was running at the kill and must have been reclaimed and rerun");
        }
        var record = (await store.FindStudyAsync("crash", ct))!;
        var tuner = StudyTuner.Restore(record.Spec, record.TunerCheckpoint, after);
        Assert.Equal(12, tuner.Tuner.Observations.Count);
        Assert.Equal(12, tuner.ObservedTrials.Distinct().Count());
        Assert.Equal(12, tuner.Tuner.Observations.Select(o => o.SuggestionId).Distinct().Count());
    }

    [Fact]
    public async Task Worker_FourProcessesOnOnePostgresStudy_EveryTrialRecordedExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "four-" + Guid.NewGuid().ToString("N")[..10];
        // A generous lease: this test is about sharing work, not reclaiming it, and must not flake on a loaded machine.
        var study = _files.Study(name, trials: 16, workers: 1, firstDelay: 0.3, laterDelay: 0.3, storage: "postgres:" + PostgresConnectionString(), lease: "{ ttl: 20s, heartbeat: 1s }");
        var definition = StudyFileParser.Load(study);
        await using (var store = StudyStorage.Open(definition.Storage, definition.BaseDirectory)) await store.EnsureStudyAsync(definition.ToSpec(), ct);

        var workers = Enumerable.Range(1, 4).Select(i => LevainProcess.Start(_files.Path, "worker", study, "--json", "--id", $"node{i}")).ToList();
        try
        {
            foreach (var worker in workers)
            {
                var code = await worker.WaitAsync(Limit);
                Assert.True(code == 0, $"worker exited {code}: {worker.Stderr}\n{worker.Stdout}");
            }
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }

        await using var reader = StudyStorage.Open(definition.Storage, definition.BaseDirectory);
        var trials = await reader.GetTrialsAsync(name, ct);
        Assert.Equal(Enumerable.Range(1, 16), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.All(trials, t => Assert.Equal(1, t.Attempt));
        var runs = _files.Runs();
        Assert.Equal(16, runs.Count);
        Assert.Equal(16, runs.Select(r => r.TrialId).Distinct().Count());
        Assert.True(trials.Select(t => t.WorkerId!.Split(':')[0]).Distinct().Count() >= 2, "the work should be shared between worker processes");
    }

    [Fact]
    public async Task Worker_KilledMidTrial_LeaseReclaimedAndTrialRerunElsewhere()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "reclaim-" + Guid.NewGuid().ToString("N")[..10];
        // Trial 1's first attempt hangs for a minute; everything else takes 0.2 s. The lease is short so the killed
        // worker's trial is reclaimed soon, but not 2 s: on a loaded 2-core machine the rescuer's own heartbeats once
        // missed a 2 s lease and it stopped (lease_lost), failing the test for a reason it does not test.
        var study = _files.Study(name, trials: 2, workers: 1, firstDelay: 60, laterDelay: 0.2, storage: "postgres:" + PostgresConnectionString(), lease: "{ ttl: 5s, heartbeat: 500ms }");
        var definition = StudyFileParser.Load(study);
        await using var store = StudyStorage.Open(definition.Storage, definition.BaseDirectory);
        await store.EnsureStudyAsync(definition.ToSpec(), ct);

        using (var doomed = LevainProcess.Start(_files.Path, "worker", study, "--json", "--id", "doomed"))
        {
            // Wait until the trial program itself is running (it records its start), not only leased.
            for (var i = 0; i < 600 && _files.Runs().Count == 0; i++) await Task.Delay(100, ct);
            var running = Assert.Single(await store.GetTrialsAsync(name, ct));
            Assert.True(running.State == TrialState.Running, $"{running.State}: {running.FailureReason}; {doomed.Stderr}");
            Assert.StartsWith("doomed", running.WorkerId, StringComparison.Ordinal);
            doomed.KillHard();
        }

        using (var rescuer = LevainProcess.Start(_files.Path, "worker", study, "--json", "--id", "rescuer"))
        {
            var code = await rescuer.WaitAsync(Limit);
            Assert.True(code == 0, $"rescuer exited {code}: {rescuer.Stderr}\n{rescuer.Stdout}");
        }

        var trials = await store.GetTrialsAsync(name, ct);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        var first = trials.Single(t => t.Number == 1);
        Assert.Equal(2, first.Attempt);
        Assert.StartsWith("rescuer", first.WorkerId, StringComparison.Ordinal);
        Assert.Equal(2, _files.Runs().Count(r => r.TrialId.EndsWith("-1", StringComparison.Ordinal)));
    }

    private static async Task<IReadOnlyList<TrialRecord>> SafeTrialsAsync(IStudyStore store, string study)
    {
        try
        {
            return await store.GetTrialsAsync(study);
        }
        catch (StudyStoreException)
        {
            return []; // the schema is being created by the child process
        }
    }

    private static string PostgresConnectionString() => Requirement.PostgresConnectionString();

    public void Dispose()
    {
        // Trial programs orphaned by the SIGKILLs above are ended by pid (they recorded it), then the files go.
        foreach (var (_, _, pid) in _files.Runs())
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                if (p.ProcessName.StartsWith("python", StringComparison.Ordinal)) p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
        _files.Dispose();
    }
}
