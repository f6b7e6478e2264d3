using System.Globalization;
using Levain.Studies.Stores;
using Levain.Studies.Trials;

namespace Levain.Cli.Tests.Study;

/// <summary>
/// Orphan control with a real <c>levain tune</c>: SIGKILL of the driver alone (not its process group) while two trials
/// run — each with a grandchild that ignores SIGTERM — leaves no trial process alive 10 s later; the resumed study
/// records every point exactly once, the killed attempts in their own log files.
/// </summary>
public sealed class OrphanProcessTests : IDisposable
{
    /// <summary>Trials 1 and 2 hang on their first attempt with a SIGTERM-ignoring grandchild; pids go to pids.txt.</summary>
    private const string Objective = """
        import json, os, subprocess, sys, time
        x = float(sys.argv[1])
        number = os.environ["LEVAIN_TRIAL_NUMBER"]; attempt = os.environ["LEVAIN_ATTEMPT"]
        with open("runs.txt", "a") as f:
            f.write("%s %s\n" % (number, attempt))
        if attempt == "1" and number in ("1", "2"):
            child = subprocess.Popen(["sh", "-c", "trap '' TERM; exec sleep 300"])
            with open("pids.txt", "a") as f:
                f.write("%d\n%d\n" % (os.getpid(), child.pid))
            print("quiet from now on", flush=True)
            time.sleep(300)
        json.dump({"loss": (x - 0.3) ** 2}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("levain-orphans-").FullName;

    [Fact]
    public async Task Tune_DriverSigkilledMidTrial_TrialTreeDiesAndResumeRecordsEachPointOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(_dir, "objective.py"), Objective, ct);
        var study = Path.Combine(_dir, "orphans.yaml");
        await File.WriteAllTextAsync(study, """
            name: orphans
            command: ["python3", "objective.py", "{x}"]
            cost: seconds
            parameters:
              x: { kind: linear, center: 0, min: -2, max: 2 }
            tuner: { seed: 3, num_random_samples: 2 }
            budget: { trials: 4 }
            workers: 2
            storage: "sqlite:./studies.db"
            lease: { ttl: 2s, heartbeat: 500ms }
            """, ct);
        var pidsFile = Path.Combine(_dir, "pids.txt");

        List<int> pids = [];
        using (var driver = LevainProcess.Start(_dir, "tune", study, "--json"))
        {
            for (var i = 0; i < 600 && pids.Count < 4; i++)
            {
                await Task.Delay(100, ct);
                if (File.Exists(pidsFile)) pids = ReadPids(pidsFile);
            }
            Assert.True(pids.Count == 4, $"the two hanging trials did not start: {driver.Stderr}\n{driver.Stdout}");
            Assert.All(pids, pid => Assert.True(IsAlive(pid), $"pid {pid} should be running before the kill"));
            // The trial prints its line after writing its pids, and the driver copies it into the attempt's log: kill
            // only once it is there (a full suite once killed first, and the log checked below was empty).
            var firstLog = Path.Combine(_dir, "levain-runs", "orphans", "trial-1.attempt-1.log");
            for (var i = 0; i < 100 && !(File.Exists(firstLog) && File.ReadAllText(firstLog).Contains("quiet from now on", StringComparison.Ordinal)); i++)
            {
                await Task.Delay(100, ct);
            }
            driver.KillHard();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (pids.Any(IsAlive) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(200, ct);
        Assert.True(!pids.Any(IsAlive), $"still alive 10 s after the driver's SIGKILL: {string.Join(' ', pids.Where(IsAlive))}");

        using (var resume = LevainProcess.Start(_dir, "tune", study, "--json"))
        {
            var code = await resume.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"resume exited {code}: {resume.Stderr}\n{resume.Stdout}");
        }
        await using var store = new SqliteStudyStore(Path.Combine(_dir, "studies.db"));
        var trials = await store.GetTrialsAsync("orphans", ct);
        Assert.Equal([1, 2, 3, 4], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.Equal([2, 2], trials.Where(t => t.Number <= 2).Select(t => t.Attempt));
        // Each attempt wrote its own log: the killed first attempt's output is not mixed into the retry's.
        var killedLog = await File.ReadAllTextAsync(Path.Combine(_dir, "levain-runs", "orphans", "trial-1.attempt-1.log"), ct);
        Assert.Contains("quiet from now on", killedLog, StringComparison.Ordinal);
        var retryLog = await File.ReadAllTextAsync(Path.Combine(_dir, "levain-runs", "orphans", "trial-1.attempt-2.log"), ct);
        Assert.DoesNotContain("quiet from now on", retryLog, StringComparison.Ordinal);
    }

    private static List<int> ReadPids(string file) =>
        [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];

    /// <summary>True while /proc/PID exists and is not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
