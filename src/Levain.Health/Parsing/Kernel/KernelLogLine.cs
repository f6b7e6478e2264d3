namespace Levain.Health.Parsing.Kernel;

/// <summary>
/// One kernel-log line with its timestamp taken apart. <paramref name="Time"/> is wall-clock time when the line carries
/// it (ISO, <c>dmesg -T</c>, journalctl) or when a monotonic stamp could be placed using the boot time; otherwise null.
/// </summary>
public sealed record KernelLogLine(int LineNumber, DateTimeOffset? Time, double? SecondsSinceBoot, string Message, string Raw);
