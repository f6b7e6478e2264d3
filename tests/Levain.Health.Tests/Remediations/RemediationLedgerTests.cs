using Levain.Core;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Remediations;

/// <summary>
/// <c>--apply</c> across runs: each run reloads the ledger from disk, as a periodic Slurm health check would.
/// </summary>
public sealed class RemediationLedgerTests
{
    private const string Xid48At11 = "2026-11-20T11:00:03,512881+00:00 NVRM: Xid (PCI:0000:3a:00): 48, pid='<unknown>', name=<unknown>, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 1, subpartition 0.";
    private const string Xid48At1130 = "2026-11-20T11:30:41,004112+00:00 NVRM: Xid (PCI:0000:3a:00): 48, pid='<unknown>', name=<unknown>, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 0, subpartition 1.";

    private static NodeReport Node(TempDirectory temp, string name, IReadOnlyDictionary<string, string?>? replace = null, params string[] extraKernelLines)
    {
        var dir = FixtureBundle.Write(temp.Combine(name), replace);
        if (extraKernelLines.Length > 0)
        {
            File.AppendAllLines(Path.Combine(dir, BundleFiles.KernelLog), extraKernelLines);
        }
        return new NodeAnalyzer(FixtureBundle.Profile, null, TimeProvider.System).Analyze(BundleReader.Read(dir));
    }

    private static async Task<(IReadOnlyList<RemediationOutcome> Outcomes, List<string> Ran)> RunAsync(string ledgerPath, NodeReport node, int exitCode = 0)
    {
        var ledger = RemediationLedger.Load(ledgerPath);
        var plan = RemediationPlanner.Plan(node);
        ledger.Forget(node, plan);
        ledger.Save();
        var runner = new RecordingRunner(exitCode);
        var outcomes = await new RemediationExecutor(runner).ApplyAsync(plan, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken, ledger);
        return (outcomes, runner.Commands);
    }

    [Fact]
    public async Task Apply_SameXidEventOnLaterRuns_ResetOnlyOnce()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine("state", RemediationLedger.FileName);
        var node = Node(temp, "run1", null, Xid48At11);

        var (first, ran1) = await RunAsync(ledger, node);
        Assert.Equal(["nvidia-smi -r -i 2"], ran1);
        Assert.True(first.Single(o => o.Action.Kind == Remediation.ResetGpu).IsApplied);

        // The XID stays in the 24 h window: the next two runs must not reset the GPU again.
        for (var run = 2; run <= 3; run++)
        {
            var (later, ran) = await RunAsync(ledger, Node(temp, $"run{run}", null, Xid48At11));
            Assert.Empty(ran);
            var skipped = later.Single(o => o.Action.Kind == Remediation.ResetGpu);
            Assert.False(skipped.IsApplied);
            Assert.NotNull(skipped.AlreadyDone);
            Assert.Contains("not repeated", skipped.Output, StringComparison.Ordinal);
        }

        var entry = Assert.Single(RemediationLedger.Load(ledger).Entries);
        Assert.Equal("reset-gpu", entry.Remediation);
        Assert.Equal("kernel.xid|pci:00000000:3A:00.0|xid:48@2026-11-20T11:00:03.5128810+00:00", entry.Event);
        Assert.Equal(1, entry.Attempts);
    }

    [Fact]
    public async Task Apply_NewXidOnSameGpu_ResetAgain()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        await RunAsync(ledger, Node(temp, "run1", null, Xid48At11));
        var (_, ran) = await RunAsync(ledger, Node(temp, "run2", null, Xid48At11, Xid48At1130));
        Assert.Equal(["nvidia-smi -r -i 2"], ran); // a later XID 48 is a new event
    }

    [Fact]
    public async Task Apply_GpuKeyedByBusIdNotIndex_SameEventAfterReenumerationSkipped()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        await RunAsync(ledger, Node(temp, "run1", null, Xid48At11));
        var loaded = RemediationLedger.Load(ledger);
        // The same event seen with the GPU at another nvidia-smi index (say gpu0 fell off): still the same GPU and event.
        var action = new RemediationAction(Remediation.ResetGpu, "gpu-node-07", "gpu1 (00000000:3A:00.0)", "kernel.xid: XID 48", "nvidia-smi -r -i 1")
        {
            Events = [RemediationPlanner.EventIdentity(new CheckResult("kernel.xid", "gpu1 (00000000:3a:00.0)", Severity.Critical, "XID 48", [], Remediation.ResetGpu)
            {
                EventKey = "xid:48@2026-11-20T11:00:03.5128810+00:00",
            })],
        };
        Assert.NotNull(loaded.Covering(action));
    }

    [Fact]
    public async Task Apply_StateClearsThenReturns_AppliedAgain()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        var swapOn = new Dictionary<string, string?> { [BundleFiles.Swapon] = "host/swapon-on.txt" };
        Assert.Equal(["swapoff -a"], (await RunAsync(ledger, Node(temp, "a", swapOn))).Ran);
        Assert.Empty((await RunAsync(ledger, Node(temp, "b", swapOn))).Ran); // still on (someone turned it back): same state, not repeated
        Assert.Empty((await RunAsync(ledger, Node(temp, "c"))).Ran);         // swap off: the entry is forgotten
        Assert.Empty(RemediationLedger.Load(ledger).Entries);
        Assert.Equal(["swapoff -a"], (await RunAsync(ledger, Node(temp, "d", swapOn))).Ran); // on again: a new event
    }

    [Fact]
    public async Task Apply_KernelLogUnavailable_EntriesKept()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        await RunAsync(ledger, Node(temp, "run1", null, Xid48At11));
        // The kernel log could not be read this time: no verdict, so the XID event is not forgotten...
        await RunAsync(ledger, Node(temp, "run2", new Dictionary<string, string?> { [BundleFiles.KernelLog] = null }));
        Assert.Single(RemediationLedger.Load(ledger).Entries);
        // ...and when it is back the reset is still not repeated.
        Assert.Empty((await RunAsync(ledger, Node(temp, "run3", null, Xid48At11))).Ran);
        // A run whose kernel log no longer has the XID (it left the window) forgets it.
        await RunAsync(ledger, Node(temp, "run4"));
        Assert.Empty(RemediationLedger.Load(ledger).Entries);
    }

    [Fact]
    public async Task Apply_FailingCommand_RetriedUpToMaxAttempts()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        var node = Node(temp, "run", null, Xid48At11);
        for (var i = 0; i < RemediationLedger.MaxAttempts; i++)
        {
            Assert.Equal(["nvidia-smi -r -i 2"], (await RunAsync(ledger, node, exitCode: 255)).Ran);
        }
        var (outcomes, ran) = await RunAsync(ledger, node, exitCode: 255);
        Assert.Empty(ran);
        Assert.Contains("failed 3 times", outcomes.Single(o => o.Action.Kind == Remediation.ResetGpu).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DrainForSameEvents_OnceThenNewEventDrainsAgain()
    {
        using var temp = new TempDirectory();
        var ledger = temp.Combine(RemediationLedger.FileName);
        var io = new Dictionary<string, string?> { [BundleFiles.KernelLog] = "dmesg/io-error.txt" };
        var first = (await RunAsync(ledger, Node(temp, "a", io))).Ran;
        Assert.Single(first, c => c.StartsWith("scontrol update", StringComparison.Ordinal));
        Assert.Empty((await RunAsync(ledger, Node(temp, "b", io))).Ran);
        var (_, again) = await RunAsync(ledger, Node(temp, "c", io, "2026-11-20T11:59:00,000000+00:00 EXT4-fs error (device md0): ext4_find_entry:1658: inode #2: comm ls: reading directory lblock 0"));
        Assert.Single(again, c => c.StartsWith("scontrol update", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ not json", "ledger")]
    [InlineData("""{ "format_version": 1, "entries": [ { "host": "", "remediation": "reset-gpu", "event": "x" } ] }""", "entries[0]")]
    public void Load_CorruptFile_BadInputNamingFileAndKeptAsIs(string text, string field)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(RemediationLedger.FileName);
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputException>(() => RemediationLedger.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains(field.Split('[')[0], e.Field, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    private sealed class RecordingRunner(int exitCode) : ICommandRunner
    {
        public List<string> Commands { get; } = [];

        public Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Commands.Add(command);
            return Task.FromResult(new CommandOutcome(exitCode, "", exitCode == 0 ? "" : "Unable to reset GPU: in use by another client", false, TimeSpan.Zero));
        }
    }
}
