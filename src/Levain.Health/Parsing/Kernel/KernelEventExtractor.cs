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

    // NVRM: GPU 0000:5d:00.0: GPU has fallen off the bus.   /   NVRM: GPU at PCI:0000:5d:00: GPU-...: GPU has fallen off the bus.
    [GeneratedRegex(@"NVRM: GPU (?:at )?(?:PCI:)?(?<pci>[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(?:\.\d)?):.*fallen off the bus")]
    private static partial Regex FallenOffBus();

    // pcieport 0000:00:01.1: AER: Corrected error received: 0000:01:00.0
    // nvidia 0000:18:00.0: AER: PCIe Bus Error: severity=Uncorrected (Fatal), type=Transaction Layer, (Requester ID)
    [GeneratedRegex(@"^(?:\S+ )?(?<dev>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d):? AER: (?<rest>.*)$")]
    private static partial Regex Aer();

    // mce: [Hardware Error]: CPU 12: Machine Check: 0 Bank 17: dc2040000000011b
    // EDAC MC0: 1 CE memory read error on CPU_SrcID#0_MC#0_Chan#1_DIMM#0 ...
    [GeneratedRegex(@"(?:mce: \[Hardware Error\]|Machine Check Exception|EDAC (?<mc>MC\d+): \d+ (?<edac>CE|UE) )")]
    private static partial Regex MachineCheck();

    // "Machine Check: 0 Bank 13: be00000000800090": IA32_MCi_STATUS, bit 61 = UC (uncorrected).
    [GeneratedRegex(@"Bank \d+: (?<status>[0-9a-fA-F]{16})\b")]
    private static partial Regex MachineCheckStatus();

    // blk_update_request: I/O error, dev nvme0n1, sector 1234 op 0x0:(READ) ...   /  I/O error, dev sda, sector ...
    // Buffer I/O error on dev nvme1n1p1, logical block 0, async page read
    // EXT4-fs error (device md0): ...   XFS (md0): metadata I/O error ...
    [GeneratedRegex(@"(?:(?:I/O|critical medium|critical target) error,? (?:on )?dev (?<dev>[\w\-]+)|EXT4-fs error \(device (?<ext4>[\w\-]+)\)|XFS \((?<xfs>[\w\-]+)\): .*I/O error)")]
    private static partial Regex IoError();

    // mlx5_core 0000:5e:00.0: 63.008 Gb/s available PCIe bandwidth, limited by 8.0 GT/s PCIe x8 link at 0000:5d:00.0 (capable of ...)
    // Printed by the PCI core for whichever driver asks (GPUs, NVMe drives too): only NIC drivers count here.
    [GeneratedRegex(@"^(?<driver>mlx5_core|mlx4_core|bnxt_en|ice|i40e|ixgbe|cxgb4|qede|ionic|be2net) (?<dev>[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d): [\d.]+ Gb/s available PCIe bandwidth, limited by")]
    private static partial Regex NicBandwidth();

    // Kernel drivers: "ib0: lost carrier", "eth0: Link is Down" (Intel, Broadcom), and mlx5's own wording,
    // "mlx5_core 0000:5e:00.0 enp94s0f0np0: Link down" (the kernel prefixes the netdev name once it is registered).
    [GeneratedRegex(@"(?<ifc>\b(?:ib|ibp|ibs|enp|ens|eth|bond)[\w.]*): (?:[Ll]ost carrier|Link is Down)|^mlx5_core [0-9a-fA-F:.]+ (?<mlx>[\w.\-]+): Link down")]
    private static partial Regex LostCarrier();

    // systemd-networkd, in the journal: "systemd-networkd[1187]: ibp94s0: Lost carrier".
    [GeneratedRegex(@"^(?:\S+ )?systemd-networkd\[\d+\]: (?<ifc>[\w.\-]+): Lost carrier")]
    private static partial Regex NetworkdLostCarrier();

    // A new boot in a journal that spans several: "Linux version 5.15.0-122-generic (buildd@...)".
    [GeneratedRegex(@"^Linux version \S+ \(")]
    private static partial Regex BootBanner();

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
            // Count the per-device "PCIe Bus Error: severity=..." line, which both the native and the firmware-first
            // paths print once per error; the port's "error received" header and the detail lines are not counted again.
            var rest = m.Groups["rest"].Value;
            if (!rest.StartsWith("PCIe Bus Error", StringComparison.Ordinal))
            {
                return null;
            }
            var uncorrected = rest.Contains("severity=Uncorrected", StringComparison.OrdinalIgnoreCase) || rest.Contains("severity=Fatal", StringComparison.OrdinalIgnoreCase);
            return new KernelEvent(uncorrected ? KernelEventKind.PcieAerUncorrected : KernelEventKind.PcieAerCorrected, m.Groups["dev"].Value, null, uncorrected, line);
        }
        if ((m = MachineCheck().Match(msg)).Success)
        {
            var uncorrected = m.Groups["edac"].Value == "UE"
                || msg.Contains("Uncorrected", StringComparison.OrdinalIgnoreCase)
                || msg.Contains("Fatal", StringComparison.OrdinalIgnoreCase)
                || msg.Contains("Machine Check Exception", StringComparison.Ordinal)
                || (MachineCheckStatus().Match(msg) is { Success: true } st && (ulong.Parse(st.Groups["status"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 61)) != 0);
            var subject = m.Groups["mc"].Success ? m.Groups["mc"].Value : "cpu/memory";
            return new KernelEvent(uncorrected ? KernelEventKind.MachineCheckUncorrected : KernelEventKind.MachineCheckCorrected, subject, null, uncorrected, line);
        }
        if ((m = IoError().Match(msg)).Success)
        {
            // A block-layer I/O error is judged against a threshold; a filesystem that recorded an error (EXT4, XFS) is fatal.
            var isFilesystem = !m.Groups["dev"].Success;
            var dev = m.Groups["dev"].Success ? m.Groups["dev"].Value : m.Groups["ext4"].Success ? m.Groups["ext4"].Value : m.Groups["xfs"].Value;
            return new KernelEvent(KernelEventKind.IoError, dev, null, isFilesystem, line);
        }
        if ((m = NicBandwidth().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.NicPcieBandwidthLimited, m.Groups["dev"].Value, null, false, line);
        }
        if ((m = LostCarrier().Match(msg)).Success || (m = NetworkdLostCarrier().Match(msg)).Success)
        {
            return new KernelEvent(KernelEventKind.LinkLostCarrier, m.Groups["mlx"].Success ? m.Groups["mlx"].Value : m.Groups["ifc"].Value, null, false, line);
        }
        if (BootBanner().IsMatch(msg))
        {
            return new KernelEvent(KernelEventKind.Boot, "node", null, false, line);
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
