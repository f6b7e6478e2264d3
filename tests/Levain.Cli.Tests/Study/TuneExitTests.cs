using System.Diagnostics;

namespace Levain.Cli.Tests.Study;

/// <summary>Exit codes and one-line errors of a real <c>levain tune</c>: every trial failed, a missing trial program, SIGTERM.</summary>
public sealed class TuneExitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("levain-tune-exit-").FullName;

    private string Study(string command, int trials, int workers = 1)
    {
        var file = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(file, $$"""
            name: exits
            command: {{command}}
            parameters:
              x: { kind: linear, center: 0, min: -1, max: 1 }
            budget: { trials: {{trials}} }
            workers: {{workers}}
            """);
        return file;
    }

    [Fact]
    public async Task Tune_EveryTrialFails_ExitsOneAndSaysSo()
    {
        using var tune = LevainProcess.Start(_dir, "tune", Study("""["python3", "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)", "{x}"]""", 2));
        Assert.Equal(1, await tune.WaitAsync(TimeSpan.FromMinutes(1)));
        var line = Assert.Single(tune.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("levain tune: every trial failed (2)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_MissingTrialProgram_ExitsBadInputBeforeAnyTrial()
    {
        using var tune = LevainProcess.Start(_dir, "tune", Study("""["./no-such-train.sh", "{x}"]""", 2));
        Assert.Equal(64, await tune.WaitAsync(TimeSpan.FromMinutes(1)));
        var line = Assert.Single(tune.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("s.yaml: command: trial program './no-such-train.sh' not found", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "levain-runs", "exits")) && Directory.EnumerateFiles(Path.Combine(_dir, "levain-runs", "exits")).Any());
    }

    [Fact]
    public async Task Tune_Sigterm_StopsPromptlyGivesTrialsBackAndExitsZero()
    {
        using var tune = LevainProcess.Start(_dir, "tune", Study("""["python3", "-c", "import time; print('started', flush=True); time.sleep(120)", "{x}"]""", 4, workers: 2), "--json");
        for (var i = 0; i < 300 && CountStarted(tune.Stdout) < 2; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(CountStarted(tune.Stdout) == 2, tune.Stdout + tune.Stderr);
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", tune.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await tune.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains("\"outcome\":\"terminated\"", tune.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, tune.Stdout.Split('\n').Count(l => l.Contains("\"event\":\"trial_requeued\"", StringComparison.Ordinal)));
    }

    private static int CountStarted(string stdout) => stdout.Split('\n').Count(l => l.Contains("\"event\":\"trial_started\"", StringComparison.Ordinal));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
