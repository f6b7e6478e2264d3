namespace Levain.Health.Bundles;

/// <summary>
/// The documented file names inside a bundle directory: one file per command output, exactly as the command printed
/// it. A directory written by hand with these names is a valid bundle; a missing file makes its checks unknown.
/// </summary>
public static class BundleFiles
{
    /// <summary><c>nvidia-smi -q -x</c>.</summary>
    public const string NvidiaSmiXml = "nvidia-smi.xml";
    /// <summary><c>dmesg --time-format iso</c>, <c>dmesg -T</c>, plain <c>dmesg</c> or <c>journalctl -k -o short-iso</c>.</summary>
    public const string KernelLog = "dmesg.txt";
    /// <summary>
    /// <c>journalctl -u systemd-networkd -o short-iso</c> (bounded by the window and a line count): networkd's
    /// "Lost carrier" lines, which are not in the kernel log. Optional.
    /// </summary>
    public const string NetworkJournal = "network-journal.txt";
    /// <summary><c>nvidia-smi nvlink -s</c>.</summary>
    public const string NvlinkStatus = "nvlink-status.txt";
    /// <summary><c>nvidia-smi nvlink -e</c>.</summary>
    public const string NvlinkErrors = "nvlink-errors.txt";
    /// <summary><c>ibstat</c>.</summary>
    public const string Ibstat = "ibstat.txt";
    /// <summary><c>grep -H . /sys/class/infiniband/*/ports/*/{state,phys_state,rate} /sys/class/infiniband/*/ports/*/counters/*</c>.</summary>
    public const string IbSysfs = "ib-sysfs.txt";
    /// <summary><c>df -P</c>.</summary>
    public const string Df = "df.txt";
    /// <summary><c>swapon --show</c> (empty output means swap is off).</summary>
    public const string Swapon = "swapon.txt";
    /// <summary><c>systemctl is-active UNIT...</c> for the profile's services, in the profile's order.</summary>
    public const string Services = "systemctl-is-active.txt";
    /// <summary><c>lsmod</c>.</summary>
    public const string Lsmod = "lsmod.txt";
    /// <summary><c>cat /proc/uptime</c> (places monotonic dmesg timestamps in time).</summary>
    public const string Uptime = "uptime.txt";
    /// <summary><c>uname -r</c>.</summary>
    public const string KernelRelease = "uname.txt";
    /// <summary>Output of a gpu-burn run (optional active test).</summary>
    public const string GpuBurn = "gpu-burn.txt";
    /// <summary>Output of nccl-tests <c>all_reduce_perf</c> (optional active test).</summary>
    public const string NcclTests = "nccl-tests.txt";
    /// <summary>Client output of perftest <c>ib_write_bw</c> against a peer (optional active test, captured by whoever pairs the nodes).</summary>
    public const string IbWriteBw = "ib-write-bw.txt";
    /// <summary><c>dcgmi diag -r 1|2</c> (when the profile's <c>dcgm_diag_level</c> asks for it).</summary>
    public const string DcgmDiag = "dcgm-diag.txt";
    /// <summary>Optional manifest: host, capture time, profile, per-command status.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>Every command-output file name.</summary>
    public static IReadOnlyList<string> CommandOutputs { get; } =
    [
        NvidiaSmiXml, KernelLog, NetworkJournal, NvlinkStatus, NvlinkErrors, Ibstat, IbSysfs, Df, Swapon, Services, Lsmod, Uptime,
        KernelRelease, GpuBurn, NcclTests, IbWriteBw, DcgmDiag,
    ];
}
