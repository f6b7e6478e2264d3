namespace Levain.Health.Parsing.Kernel;

/// <summary>Kernel-log patterns that are evaluated on every node, with or without a learned baseline.</summary>
public enum KernelEventKind
{
    Xid,
    Sxid,
    GpuFallenOffBus,
    PcieAerCorrected,
    PcieAerUncorrected,
    MachineCheckCorrected,
    MachineCheckUncorrected,
    IoError,
    NicPcieBandwidthLimited,
    LinkLostCarrier,
    /// <summary>The kernel's boot banner ("Linux version ..."): a journal spanning several boots starts a new one here.</summary>
    Boot,
}
