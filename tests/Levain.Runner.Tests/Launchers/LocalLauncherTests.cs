using Levain.Runner.Launchers;
using Levain.Runner.Protocol;
using Levain.Runner.Tests.Support;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Launchers;

public sealed class LocalLauncherTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private TrialLaunch Launch(IReadOnlyList<string> argv, TimeSpan? timeout = null, Dictionary<string, string>? env = null) => new(
        "t-1", argv, _dir.Path,
        env ?? new Dictionary<string, string> { ["LEVAIN_PARAMS"] = "{\"lr\":0.1}", ["LEVAIN_RESULT"] = Path.Combine(_dir.Path, "r.json") },
        Path.Combine(_dir.Path, "trial-1.log"), Path.Combine(_dir.Path, "r.json"), timeout);

    [Fact]
    public async Task RunAsync_ProgramWritesResultFile_ReturnsResultAndEnvironmentWasPassed()
    {
        var script = "import os, json; p = json.loads(os.environ['LEVAIN_PARAMS']); json.dump({'loss': p['lr'] * 2}, open(os.environ['LEVAIN_RESULT'], 'w'))";
        var result = await new LocalLauncher().RunAsync(Launch(["python3", "-c", script]), null, CancellationToken.None);
        Assert.Equal(LaunchStatus.Exited, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"loss\": 0.2}", result.ResultJson);
    }

    [Fact]
    public async Task RunAsync_StdoutProtocolLines_ReportsProgressAndResultAndLogsEverything()
    {
        var progress = new List<string>();
        var script = "echo 'levain-progress {\"step\": 1}'; echo warming up >&2; echo 'levain-progress {\"step\": 2}'; echo 'levain-result {\"loss\": 3.5}'";
        var result = await new LocalLauncher().RunAsync(Launch(["sh", "-c", script]), progress.Add, CancellationToken.None);
        Assert.Equal("{\"loss\": 3.5}", result.ResultJson);
        Assert.Equal(["{\"step\": 1}", "{\"step\": 2}"], progress);
        var log = await File.ReadAllTextAsync(Path.Combine(_dir.Path, "trial-1.log"));
        Assert.Contains("warming up", log, StringComparison.Ordinal);
        Assert.Contains("levain-result", log, StringComparison.Ordinal);
        Assert.Equal(["warming up"], result.StderrTail);
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_KeepsExitCodeAndLastStderrLines()
    {
        var result = await new LocalLauncher().RunAsync(Launch(["sh", "-c", "for i in $(seq 1 30); do echo line$i >&2; done; exit 4"]), null, CancellationToken.None);
        Assert.Equal(LaunchStatus.Exited, result.Status);
        Assert.Equal(4, result.ExitCode);
        Assert.Null(result.ResultJson);
        Assert.Equal(20, result.StderrTail.Count);
        Assert.Equal("line30", result.StderrTail[^1]);
    }

    [Fact]
    public async Task RunAsync_MissingProgram_FailsWithReason()
    {
        var result = await new LocalLauncher().RunAsync(Launch(["levain-no-such-program-xyz"]), null, CancellationToken.None);
        Assert.NotEqual(0, result.ExitCode ?? -1);
        Assert.Contains("levain-no-such-program-xyz", string.Join(" ", result.StderrTail) + result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsWholeProcessTree()
    {
        var pidFile = Path.Combine(_dir.Path, "grandchild.pid");
        // The program starts a grandchild that would outlive a naive kill of the direct child.
        var script = $"sleep 300 & echo $! > '{pidFile}'; sleep 300";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new LocalLauncher(TimeSpan.FromSeconds(1)).RunAsync(Launch(["sh", "-c", script], TimeSpan.FromSeconds(3)), null, CancellationToken.None);
        Assert.Equal(LaunchStatus.TimedOut, result.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        var grandchild = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(grandchild), $"grandchild {grandchild} survived the timeout");
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTreeAndReportsCancelled()
    {
        var pidFile = Path.Combine(_dir.Path, "grandchild.pid");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var result = await new LocalLauncher().RunAsync(Launch(["sh", "-c", $"sleep 300 & echo $! > '{pidFile}'; wait"]), null, cts.Token);
        Assert.Equal(LaunchStatus.Cancelled, result.Status);
        var grandchild = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(grandchild));
    }

    [Fact]
    public async Task RunAsync_SubstitutedValueWithShellSyntax_CannotInjectCommands()
    {
        var evil = new Dictionary<string, ParamValue> { ["opt"] = "; touch pwned1 ; $(touch pwned2) `touch pwned3` && touch pwned4" };
        var argv = CommandTemplate.Substitute(["printf", "%s\\n", "{opt}"], evil, "t-1");
        var result = await new LocalLauncher().RunAsync(Launch(argv), null, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        var log = await File.ReadAllTextAsync(Path.Combine(_dir.Path, "trial-1.log"));
        Assert.Contains("; touch pwned1 ; $(touch pwned2) `touch pwned3` && touch pwned4", log, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "pwned*"));
    }

    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 40; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return true;
            try
            {
                // A zombie awaiting its reaper is dead too.
                if ((await File.ReadAllTextAsync(stat)).Split(' ')[2] == "Z") return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    public void Dispose() => _dir.Dispose();
}
