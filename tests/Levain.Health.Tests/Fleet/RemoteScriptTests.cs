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
