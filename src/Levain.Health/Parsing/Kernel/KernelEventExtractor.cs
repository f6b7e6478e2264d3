using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Kernel;

/// <summary>Finds the always-on critical patterns in parsed kernel-log lines.</summary>
public static partial class KernelEventExtractor
{
    // NVRM: Xid (PCI:0000:18:00): 79, pid=0, name=, GPU has fallen off the bus.
    [GeneratedRegex(@"NVRM: Xid \((?:PCI:)?(?<pci>[0-9a-fA-F:.]+)\): (?<code>\d+),")]
    private static partial Regex Xid();

    // nvidia-nvswitch3: SXid (PCI:0000:86:00.0): 12028, Non-fatal, Link 44 egress non-posted PRIV error (First)
    [GeneratedRegex(@"(?<dev>nvidia-nvswitch\d+)?:?\s*SXid \((?:PCI:)?(?<pci>[0-9a-fA-F:.]+)\): (?<code>\d+), (?<fatal>Non-fatal|Fatal)", RegexOptions.IgnoreCase)]
    private static partial Regex Sxid();

    // NVRM: GPU at PCI:0000:18:00: GPU-5e2c...: GPU has fallen off the bus.
    [GeneratedRegex(@"NVRM: GPU at (?:PCI:)?(?<pci>[0-9a-fA-F:.]+).*fallen off the bus")]
    private static partial Regex FallenOffBus();

    // pcieport 0000:00:01.1: AER: Corrected error received: 0000:01:00.0
    // nvidia 0000:18:00.0: AER: PCIe Bus Error: severity=Uncorrected (Fatal), type=Transaction Layer, (Requester ID)
    [GeneratedRegex(@"^(?:\S+ )?(?<dev>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d):? AER: (?<rest>.*)$")]
    private static partial Regex Aer();

    [GeneratedRegex(@"received: (?<src>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d)")]
    private static partial Regex AerSource();

    // mce: [Hardware Error]: CPU 12: Machine Check: 0 Bank 17: dc2040000000011b
    // EDAC MC0: 1 CE memory read error on CPU_SrcID#0_MC#0_Chan#1_DIMM#0 ...
    [GeneratedRegex(@"(?:mce: \[Hardware Error\]|Machine Check Exception|EDAC (?<mc>MC\d+): \d+ (?<edac>CE|UE) )")]
    private static partial Regex MachineCheck();

    // blk_update_request: I/O error, dev nvme0n1, sector 1234 op 0x0:(READ) ...   /  I/O error, dev sda, sector ...
    // Buffer I/O error on dev nvme1n1p1, logical block 0, async page read
    // EXT4-fs error (device md0): ...   XFS (md0): metadata I/O error ...
    [GeneratedRegex(@"(?:I/O error,? (?:on )?dev (?<dev>[\w\-]+)|EXT4-fs error \(device (?<ext4>[\w\-]+)\)|XFS \((?<xfs>[\w\-]+)\): .*I/O error)")]
    private static partial Regex IoError();

    // mlx5_core 0000:5e:00.0: 63.008 Gb/s available PCIe bandwidth, limited by 8.0 GT/s PCIe x8 link at 0000:5d:00.0 (capable of ...)
    [GeneratedRegex(@"(?<dev>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d): [\d.]+ Gb/s available PCIe bandwidth, limited by")]
    private static partial Regex NicBandwidth();

    // ib0: lost carrier   /   mlx5_core 0000:5e:00.0 ibp94s0: Link down
    [GeneratedRegex(@"(?<ifc>\b(?:ib|ibp|ibs|enp|ens|eth|bond)[\w.]*): (?:[Ll]ost carrier|Link down|Link is Down)")]
    private static partial Regex LostCarrier();

    public static IReadOnlyList<KernelEvent> Extract(IEnumerable<KernelLogLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var events = new List<KernelEvent>();
        foreach (var line in lines)
        {
            if (Classify(line) is { } e)
            {
                events.Add(e);
            }
        }
        return events;
    }

    private static KernelEvent? Classify(KernelLogLine line)
    {
        var msg = line.Message;
        Match m;
        if ((m = Xid().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.Xid, NormalizePci(m.Groups["pci"].Value), Int(m.Groups["code"].Value), false, line);
        }
        if ((m = Sxid().Match(msg)).Success)
        {
            var subject = m.Groups["dev"].Success ? $"{m.Groups["dev"].Value} ({m.Groups["pci"].Value})" : m.Groups["pci"].Value;
            var fatal = m.Groups["fatal"].Value.Equals("Fatal", StringComparison.OrdinalIgnoreCase);
            return new KernelEvent(KernelEventKind.Sxid, subject, Int(m.Groups["code"].Value), fatal, line);
        }
        if ((m = FallenOffBus().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.GpuFallenOffBus, NormalizePci(m.Groups["pci"].Value), null, true, line);
        }
        if ((m = Aer().Match(msg)).Success)
        {
            var rest = m.Groups["rest"].Value;
            var source = AerSource().Match(rest);
            var subject = source.Success ? source.Groups["src"].Value : m.Groups["dev"].Value;
            var uncorrected = rest.Contains("Uncorrected", StringComparison.OrdinalIgnoreCase) || rest.Contains("Fatal", StringComparison.Ordinal);
            var corrected = rest.Contains("Corrected", StringComparison.Ordinal) || rest.Contains("severity=Corrected", StringComparison.Ordinal);
            if (uncorrected || corrected)
            {
                return new KernelEvent(uncorrected ? KernelEventKind.PcieAerUncorrected : KernelEventKind.PcieAerCorrected, subject, null, uncorrected, line);
            }
            return null; // AER detail lines ("[ 0] RxErr") belong to the header line already counted
        }
        if ((m = MachineCheck().Match(msg)).Success)
        {
            var uncorrected = m.Groups["edac"].Value == "UE"
                || msg.Contains("Uncorrected", StringComparison.OrdinalIgnoreCase)
                || msg.Contains("Fatal", StringComparison.OrdinalIgnoreCase)
                || msg.Contains("Machine Check Exception", StringComparison.Ordinal);
            var subject = m.Groups["mc"].Success ? m.Groups["mc"].Value : "cpu/memory";
            return new KernelEvent(uncorrected ? KernelEventKind.MachineCheckUncorrected : KernelEventKind.MachineCheckCorrected, subject, null, uncorrected, line);
        }
        if ((m = IoError().Match(msg)).Success)
        {
            var dev = m.Groups["dev"].Success ? m.Groups["dev"].Value : m.Groups["ext4"].Success ? m.Groups["ext4"].Value : m.Groups["xfs"].Value;
            return new KernelEvent(KernelEventKind.IoError, dev, null, true, line);
        }
        if ((m = NicBandwidth().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.NicPcieBandwidthLimited, m.Groups["dev"].Value, null, false, line);
        }
        if ((m = LostCarrier().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.LinkLostCarrier, m.Groups["ifc"].Value, null, false, line);
        }
        return null;
    }

    /// <summary>"0000:18:00" and "0000:18:00.0" name the same GPU; compare them in the long form, upper-case.</summary>
    public static string NormalizePci(string pci)
    {
        ArgumentNullException.ThrowIfNull(pci);
        var p = pci.ToUpperInvariant();
        if (p.Count(c => c == ':') == 1)
        {
            p = "0000:" + p;
        }
        if (!p.Contains('.', StringComparison.Ordinal))
        {
            p += ".0";
        }
        // nvidia-smi prints 8-digit domains ("00000000:18:00.0").
        var firstColon = p.IndexOf(':', StringComparison.Ordinal);
        return p[..firstColon].PadLeft(8, '0') + p[firstColon..];
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
