using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Checks.Kernel;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Checks.Kernel;

/// <summary>The journal-backed kernel-log judgements on a realistic 460-line journal spanning two boots.</summary>
public sealed class KernelLogCheckTests
{
    private static readonly DateTimeOffset CapturedAt = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<CheckResult> Evaluate(string text, HealthProfile? profile = null)
    {
        var bundle = new Bundle("gpu-node-07", CapturedAt, null, [new CapturedOutput(BundleFiles.KernelLog, CaptureStatus.Captured, text, "")]);
        return new KernelLogCheck().Evaluate(new CheckContext(bundle, profile ?? new HealthProfile(), null, CapturedAt));
    }

    [Fact]
    public void Evaluate_JournalLinkFlaps_NetworkdAndMlx5CountedOncePerFlap()
    {
        var flaps = Evaluate(Fixture.Text("dmesg/journal-two-boots.txt")).Where(r => r.CheckId == CheckIds.KernelLinkFlaps).ToList();
        var ib = Assert.Single(flaps, r => r.Subject == "ibp94s0");
        Assert.Equal(Severity.Warning, ib.Severity);
        Assert.Contains("4 times", ib.Message, StringComparison.Ordinal);
        var eth = Assert.Single(flaps, r => r.Subject == "enp59s0f0np0");
        Assert.Equal(Severity.Ok, eth.Severity); // two flaps, each logged by mlx5 and networkd: 2, under the threshold 3
        Assert.Contains("2 times", eth.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DmesgPlusNetworkJournal_NetworkdFlapsCounted()
    {
        // dmesg has no networkd lines; the bounded networkd journal capture supplies them.
        var bundle = new Bundle("gpu-node-07", CapturedAt, null,
        [
            new CapturedOutput(BundleFiles.KernelLog, CaptureStatus.Captured, Fixture.Text("dmesg/healthy-iso.txt"), ""),
            new CapturedOutput(BundleFiles.NetworkJournal, CaptureStatus.Captured, Fixture.Text("dmesg/network-journal.txt"), ""),
        ]);
        var results = new KernelLogCheck().Evaluate(new CheckContext(bundle, new HealthProfile(), null, CapturedAt));
        var ib = Assert.Single(results, r => r.CheckId == CheckIds.KernelLinkFlaps && r.Subject == "ibp94s0");
        Assert.Equal(Severity.Warning, ib.Severity);
        Assert.Contains(ib.Evidence, e => e.Contains("systemd-networkd[1187]: ibp94s0: Lost carrier", StringComparison.Ordinal));

        var withoutJournal = new Bundle("gpu-node-07", CapturedAt, null, [bundle.Get(BundleFiles.KernelLog)]);
        var none = new KernelLogCheck().Evaluate(new CheckContext(withoutJournal, new HealthProfile(), null, CapturedAt));
        Assert.Equal(Severity.Ok, Assert.Single(none, r => r.CheckId == CheckIds.KernelLinkFlaps).Severity); // optional: no unknown
    }

    [Fact]
    public void Evaluate_IoErrorsUnderThreshold_WarningOverThreshold_Critical()
    {
        var text = Fixture.Text("dmesg/journal-two-boots.txt");
        var io = Assert.Single(Evaluate(text), r => r.CheckId == CheckIds.KernelIoError);
        // nvme1n1's 12 errors were two days ago (outside the window); nvme0n1 has 2 in it: look, do not drain.
        Assert.Equal((Severity.Warning, "nvme0n1", Remediation.Investigate), (io.Severity, io.Subject, io.Remediation));
        var strict = Assert.Single(Evaluate(text, new HealthProfile { IoErrorThreshold = 2 }), r => r.CheckId == CheckIds.KernelIoError);
        Assert.Equal((Severity.Critical, Remediation.Drain), (strict.Severity, strict.Remediation));
        var week = new HealthProfile { EventWindow = TimeSpan.FromDays(7) };
        Assert.Contains(Evaluate(text, week), r => r.CheckId == CheckIds.KernelIoError && r.Subject == "nvme1n1" && r.Severity == Severity.Critical);
    }

    [Fact]
    public void Evaluate_NicLimitedInEarlierBoot_NotCountedEvenInsideWindow()
    {
        var week = new HealthProfile { EventWindow = TimeSpan.FromDays(7) };
        var nic = Assert.Single(Evaluate(Fixture.Text("dmesg/journal-two-boots.txt"), week), r => r.CheckId == CheckIds.KernelNicPcieBandwidth);
        Assert.Equal(Severity.Ok, nic.Severity); // the x8 link was in the previous boot; this boot trained at x16

        // The same line in the current boot counts; a GPU's or NVMe drive's "limited by" never does.
        var current = Fixture.Text("dmesg/journal-two-boots.txt") +
            "\n2026-11-20T11:58:00+0000 gpu-node-07 kernel: mlx5_core 0000:bc:00.0: 63.012 Gb/s available PCIe bandwidth, limited by 8.0 GT/s PCIe x8 link at 0000:bb:00.0 (capable of 252.048 Gb/s with 16.0 GT/s PCIe x16 link)" +
            "\n2026-11-20T11:58:01+0000 gpu-node-07 kernel: nvidia 0000:18:00.0: 126.024 Gb/s available PCIe bandwidth, limited by 8.0 GT/s PCIe x16 link at 0000:17:00.0 (capable of 504.112 Gb/s with 32.0 GT/s PCIe x16 link)\n";
        var flagged = Assert.Single(Evaluate(current), r => r.CheckId == CheckIds.KernelNicPcieBandwidth);
        Assert.Equal((Severity.Warning, "0000:bc:00.0"), (flagged.Severity, flagged.Subject));
    }

    [Fact]
    public void Evaluate_NicLimitedOutsideWindow_NotCounted()
    {
        // dmesg of a node up for three days: the probe-time line is older than the 24 h window.
        var text = "2026-11-17T08:00:06,112791+00:00 mlx5_core 0000:5e:00.0: 63.012 Gb/s available PCIe bandwidth, limited by 8.0 GT/s PCIe x8 link at 0000:5d:00.0 (capable of 252.048 Gb/s with 16.0 GT/s PCIe x16 link)\n";
        Assert.Equal(Severity.Ok, Assert.Single(Evaluate(text), r => r.CheckId == CheckIds.KernelNicPcieBandwidth).Severity);
    }
}
