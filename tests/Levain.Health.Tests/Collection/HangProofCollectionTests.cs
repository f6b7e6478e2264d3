using System.Diagnostics;
using System.Globalization;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Collection;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Collection;

/// <summary>
/// Collection on a node whose GPU tool is wedged: a fake nvidia-smi that ignores SIGTERM and leaves a grandchild
/// holding its output pipe (a process we cannot reap: the stand-in for a child stuck in D state, since SIGKILL cannot
/// be ignored by a test process).
/// </summary>
public sealed class HangProofCollectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<string> _pidFiles = [];

    public void Dispose()
    {
        foreach (var file in _pidFiles.Where(File.Exists))
        {
            foreach (var pid in File.ReadAllLines(file).Where(l => l.Trim().Length > 0))
            {
                try
                {
                    using var p = Process.GetProcessById(int.Parse(pid.Trim(), CultureInfo.InvariantCulture));
                    p.Kill(); // only the sleepers this test started
                }
                catch (ArgumentException)
                {
                    // already gone
                }
            }
        }
        _temp.Dispose();
    }

    private string PidFile(string name)
    {
        var path = _temp.Combine(name);
        _pidFiles.Add(path);
        return path;
    }

    private string Tool(string bin, string name, string body)
    {
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    [Fact]
    public async Task RunAsync_IgnoresSigtermAndLeavesPipeHolder_ReturnsAtTimeoutWithPartialOutput()
    {
        var pids = PidFile("holder.pid");
        var runner = new ProcessCommandRunner(TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var r = await runner.RunAsync(
            $"trap '' TERM INT HUP; printf '<?xml version=\"1.0\" ?>\\n<nvidia_smi_log>\\n'; (sleep 120 & echo $! >> '{pids}'); sleep 120",
            TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        watch.Stop();
        Assert.True(r.IsTimedOut);
        Assert.Equal("<?xml version=\"1.0\" ?>\n<nvidia_smi_log>\n", r.StandardOutput); // partial output kept
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1) + ProcessCommandRunner.KillGrace + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        var (output, record) = CaptureClassifier.Classify(new CommandSpec(BundleFiles.NvidiaSmiXml, "nvidia-smi -q -x", TimeSpan.FromSeconds(1), new HashSet<int> { 0 }), r);
        Assert.Equal(CaptureStatus.TimedOut, output.Status);
        Assert.Contains("partial output kept", record.Detail, StringComparison.Ordinal);
        Assert.StartsWith("<?xml", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ExitsButGrandchildHoldsPipe_ReturnsByTheDeadline()
    {
        var pids = PidFile("exit-holder.pid");
        var watch = Stopwatch.StartNew();
        var r = await new ProcessCommandRunner(TimeProvider.System).RunAsync($"(sleep 120 & echo $! >> '{pids}'); echo answered",
            TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        Assert.Equal((0, "answered\n", false), (r.ExitCode, r.StandardOutput, r.IsTimedOut));
        Assert.True(r.IsPipeHeldOpen);
    }

    [Fact]
    public async Task RunAsync_HugeOutput_TruncatedAtTheLimitNotBuffered()
    {
        var r = await new ProcessCommandRunner(TimeProvider.System) { MaxCapturedChars = 1 << 20 }
            .RunAsync("head -c 20000000 /dev/zero | tr '\\0' x", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal((0, 1 << 20, true), (r.ExitCode, r.StandardOutput.Length, r.IsTruncated));
    }

    /// <summary>
    /// The issue's acceptance test: `check` with a wedged nvidia-smi finishes within its command timeout plus a few
    /// seconds, is critical because of the hung tool, and the kernel log (started first) is still captured and judged.
    /// </summary>
    [Fact]
    public async Task Collect_WedgedNvidiaSmi_CriticalWithinTimeoutAndKernelLogStillJudged()
    {
        var bin = _temp.Combine("bin");
        var pids = PidFile("smi.pid");
        Tool(bin, "nvidia-smi", $"trap '' TERM INT HUP\nprintf '<?xml version=\"1.0\" ?>\\n<nvidia_smi_log>\\n'\n(sleep 120 & echo $! >> '{pids}')\nsleep 120");
        var now = DateTimeOffset.UtcNow;
        var log = string.Join("\n", Enumerable.Range(0, 300).Select(i =>
            $"{now.AddMinutes(-60).AddSeconds(i):yyyy-MM-ddTHH:mm:ss},000000+00:00 systemd[1]: Started session-{i}.scope - Session {i} of User slurm."));
        log += $"\n{now.AddMinutes(-5):yyyy-MM-ddTHH:mm:ss},118201+00:00 NVRM: Xid (PCI:0000:5d:00): 79, pid=0, name=, GPU has fallen off the bus.\n";
        File.WriteAllText(_temp.Combine("dmesg.txt"), log);
        Tool(bin, "dmesg", $"cat '{_temp.Combine("dmesg.txt")}'");

        var timeout = TimeSpan.FromSeconds(2);
        var plan = CollectionPlan.For(HealthProfile.Default, timeout);
        var runner = new ProcessCommandRunner(TimeProvider.System) { PathPrefix = bin };
        var watch = Stopwatch.StartNew();
        var bundle = await new NodeCollector(runner, TimeProvider.System).CollectAsync(plan, "wedged", null, null, TestContext.Current.CancellationToken);
        watch.Stop();
        Assert.True(watch.Elapsed < timeout + TimeSpan.FromSeconds(5), $"collection took {watch.Elapsed}");

        Assert.Equal(CaptureStatus.TimedOut, bundle.Get(BundleFiles.NvidiaSmiXml).Status);
        Assert.Equal(CaptureStatus.Captured, bundle.Get(BundleFiles.KernelLog).Status);
        var node = new NodeAnalyzer(HealthProfile.Default, null, TimeProvider.System).Analyze(bundle);
        Assert.Equal(Severity.Critical, node.Status);
        var hung = node.Results.Single(r => r.CheckId == CheckIds.GpuInventory);
        Assert.Equal(Severity.Critical, hung.Severity);
        Assert.Contains("hung", hung.Message, StringComparison.Ordinal);
        Assert.Contains(hung.Evidence, e => e.Contains("<nvidia_smi_log>", StringComparison.Ordinal)); // what it printed before hanging
        Assert.Contains(node.Results, r => r.CheckId == CheckIds.KernelXid && r.Severity == Severity.Critical && r.Message.Contains("XID 79", StringComparison.Ordinal));

        // the partial output survives a round trip through a bundle directory
        BundleWriter.Write(bundle, _temp.Combine("bundle"));
        var back = BundleReader.Read(_temp.Combine("bundle"));
        Assert.Equal(CaptureStatus.TimedOut, back.Get(BundleFiles.NvidiaSmiXml).Status);
        Assert.Contains("<nvidia_smi_log>", back.Get(BundleFiles.NvidiaSmiXml).Text, StringComparison.Ordinal);
    }
}
