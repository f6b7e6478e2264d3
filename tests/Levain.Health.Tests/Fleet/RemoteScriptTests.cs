using System.Diagnostics;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Fleet;
using Levain.Health.Profiles;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Fleet;

public sealed class RemoteScriptTests
{
    /// <summary>Runs the script with the local sh (what ssh would do remotely) and reads its output back.</summary>
    [Fact]
    public async Task BuildAndParse_RunWithLocalShell_RoundTripsOutputsExitCodesAndTimeouts()
    {
        using var temp = new TempDirectory();
        var bin = temp.Combine("bin");
        Directory.CreateDirectory(bin);
        var tricky = "line with @@LEVAIN-END@@ inside\nand 'quotes' \"too\" \u00e9\n";
        File.WriteAllText(temp.Combine("tricky.txt"), tricky);
        var spec = (string file, string command, int timeout, int[] ok) => new CommandSpec(file, command, TimeSpan.FromSeconds(timeout), ok.ToHashSet());
        var plan = new CollectionPlan(
        [
            spec("df.txt", $"cat '{temp.Combine("tricky.txt")}'", 5, [0]),
            spec("lsmod.txt", "definitely-not-a-command-xyz", 5, [0]),
            spec("swapon.txt", "sleep 20", 1, [0]),
            spec("uname.txt", "echo oops >&2; exit 3", 5, [0]),
        ], []);
        var script = RemoteScript.Build(plan, bin);
        var info = new ProcessStartInfo("/bin/sh", "-s") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var parsed = RemoteScript.Parse(stdout);
        Assert.True(parsed.IsSuccess, parsed.Error);
        var outcomes = parsed.Value!;
        Assert.Equal(tricky, outcomes["df.txt"].StandardOutput);
        Assert.Equal(0, outcomes["df.txt"].ExitCode);
        Assert.Equal(127, outcomes["lsmod.txt"].ExitCode);
        Assert.True(outcomes["swapon.txt"].IsTimeoutExit);
        Assert.Equal((3, "oops\n"), (outcomes["uname.txt"].ExitCode, outcomes["uname.txt"].StandardError));

        var classified = plan.Commands.Select(c => CaptureClassifier.Classify(c, outcomes[c.File]).Output.Status).ToList();
        Assert.Equal([CaptureStatus.Captured, CaptureStatus.NotInstalled, CaptureStatus.TimedOut, CaptureStatus.Failed], classified);
    }

    /// <summary>
    /// A command whose process survives SIGKILL (uninterruptible sleep) keeps <c>timeout</c> waiting for ever. Stand-in:
    /// a <c>timeout</c> first on PATH that prints a line and then ignores every catchable signal for 40 s. The script must
    /// report it at its deadline (longest timeout 2 s + 3 s) with the partial output and exit 124, report the healthy
    /// command as it ended, and finish without waiting for the stuck one.
    /// </summary>
    [Fact]
    public async Task Build_CommandThatSurvivesKill_AbandonedAtDeadlineWithPartialOutput()
    {
        using var temp = new TempDirectory();
        var bin = temp.Combine("bin");
        Directory.CreateDirectory(bin);
        var pidFile = temp.Combine("stuck.pid");
        File.WriteAllText(Path.Combine(bin, "timeout"),
            "#!/bin/sh\n" +
            "case \"$*\" in\n" +
            $"  *stuck-tool*) echo 'partial line before the hang'; echo $$ > '{pidFile}'; trap '' TERM INT HUP; exec sleep 40 ;;\n" +
            "  *) PATH=${PATH#*:}; exec timeout \"$@\" ;;\n" +
            "esac\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "timeout"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var plan = new CollectionPlan(
        [
            new CommandSpec("lsmod.txt", "stuck-tool --query", TimeSpan.FromSeconds(1), new HashSet<int> { 0 }),
            new CommandSpec("df.txt", "echo fine", TimeSpan.FromSeconds(2), new HashSet<int> { 0 }),
        ], []);
        var info = new ProcessStartInfo("/bin/sh", "-s") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        try
        {
            await process.StandardInput.WriteAsync(RemoteScript.Build(plan, bin));
            process.StandardInput.Close();
            var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            watch.Stop();

            Assert.True(RemoteScript.IsComplete(stdout), stdout);
            var outcomes = RemoteScript.Parse(stdout).Value!;
            Assert.Equal((0, "fine\n"), (outcomes["df.txt"].ExitCode, outcomes["df.txt"].StandardOutput));
            Assert.Equal((124, "partial line before the hang\n"), (outcomes["lsmod.txt"].ExitCode, outcomes["lsmod.txt"].StandardOutput));
            Assert.InRange(outcomes["lsmod.txt"].Duration, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(30));
            // ended at its deadline, long before the stuck command would have (40 s)
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"script took {watch.Elapsed}");
        }
        finally
        {
            // the stand-in for the stuck process is ours: end it
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // already gone
                }
            }
        }
    }

    [Fact]
    public void Parse_NoHello_Failure() => Assert.False(RemoteScript.Parse("Welcome to Ubuntu!\nlast login: yesterday\n").IsSuccess);

    [Fact]
    public void Parse_TruncatedBlock_KeepsEarlierCommandsOnly()
    {
        var ok = Convert.ToBase64String("x\n"u8.ToArray());
        var text = $"@@LEVAIN-HELLO@@\n@@LEVAIN-BEGIN df.txt 0 5@@\n{ok}\n@@LEVAIN-STDERR@@\n@@LEVAIN-END@@\n@@LEVAIN-BEGIN lsmod.txt 0 5@@\n{ok}\n";
        var parsed = RemoteScript.Parse(text).Value!;
        Assert.Equal(["df.txt"], parsed.Keys);
    }

    [Fact]
    public void Build_DefaultPlan_QuotesEveryCommand()
    {
        var script = RemoteScript.Build(CollectionPlan.For(FixtureBundle.Profile, TimeSpan.FromSeconds(7)), "/opt/it's here");
        Assert.Contains("PATH='/opt/it'\\''s here':", script, StringComparison.Ordinal);
        Assert.Contains("levain_start nvidia-smi.xml 7 'nvidia-smi -q -x'", script, StringComparison.Ordinal);
        Assert.Contains("'systemctl is-active '\\''nvidia-fabricmanager'\\''", script, StringComparison.Ordinal);
    }
}
