namespace Levain.Health.Parsing.Kernel;

/// <summary>
/// One recognised kernel-log event. <paramref name="Subject"/> is the device it names (GPU PCI address, NVSwitch,
/// PCIe device, disk, interface); <paramref name="Code"/> is the XID/SXid number where there is one;
/// <paramref name="IsFatal"/> carries the SXid "Fatal"/"Non-fatal" word.
/// </summary>
public sealed record KernelEvent(KernelEventKind Kind, string Subject, int? Code, bool IsFatal, KernelLogLine Line);
