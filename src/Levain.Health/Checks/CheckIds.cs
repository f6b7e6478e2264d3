namespace Levain.Health.Checks;

/// <summary>Every check id a result can carry.</summary>
public static class CheckIds
{
    public const string GpuInventory = "gpu.inventory";
    public const string GpuEccMode = "gpu.ecc-mode";
    public const string GpuEccErrors = "gpu.ecc-errors";
    /// <summary>NVIDIA's own verdict: <c>gpu_recovery_action</c> (R570+) or <c>gpu_reset_status</c> (R550).</summary>
    public const string GpuRecoveryAction = "gpu.recovery-action";
    /// <summary>Retired pages (before Ampere) or remapped rows (Ampere and later).</summary>
    public const string GpuMemoryRepair = "gpu.memory-repair";
    public const string GpuClockEvents = "gpu.clock-events";
    public const string GpuPcieLink = "gpu.pcie-link";
    public const string GpuTemperature = "gpu.temperature";
    public const string GpuPower = "gpu.power";
    public const string GpuFabric = "gpu.fabric";
    public const string GpuVersions = "gpu.versions";
    /// <summary>NVIDIA's DCGM diagnostic (<c>dcgmi diag -r 1|2</c>).</summary>
    public const string GpuDcgmDiag = "gpu.dcgm-diag";
    public const string KernelLog = "kernel.log";
    public const string KernelXid = "kernel.xid";
    public const string KernelSxid = "kernel.sxid";
    public const string KernelGpuOffBus = "kernel.gpu-off-bus";
    public const string KernelPcieAer = "kernel.pcie-aer";
    public const string KernelMachineCheck = "kernel.machine-check";
    public const string KernelIoError = "kernel.io-error";
    public const string KernelNicPcieBandwidth = "kernel.nic-pcie-bandwidth";
    public const string KernelLinkFlaps = "kernel.link-flaps";
    public const string KernelBaseline = "kernel.baseline";
    public const string NvlinkStatus = "nvlink.status";
    public const string NvlinkErrors = "nvlink.errors";
    public const string IbPorts = "ib.ports";
    public const string IbCounters = "ib.counters";
    public const string HostDisk = "host.disk";
    public const string HostSwap = "host.swap";
    public const string HostServices = "host.services";
    public const string HostModules = "host.modules";
    public const string HostKernelRelease = "host.kernel-release";
    public const string ActiveGpuBurn = "active.gpu-burn";
    public const string ActiveNccl = "active.nccl";
    public const string ActiveIbWriteBw = "active.ib-write-bw";
    public const string FleetSkew = "fleet.skew";
    public const string FleetStraggler = "fleet.straggler";
    public const string FleetBaselineRarity = "fleet.baseline-rarity";
    /// <summary><c>fleet --ib-pairs</c>: ib_write_bw between node pairs.</summary>
    public const string FleetIbPair = "fleet.ib-pair";
    public const string Reachability = "ssh.reachability";
}
