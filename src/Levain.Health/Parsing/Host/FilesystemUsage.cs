namespace Levain.Health.Parsing.Host;

/// <summary>One row of <c>df -P</c>.</summary>
public sealed record FilesystemUsage(string Filesystem, long SizeKiB, long UsedKiB, long AvailableKiB, int UsedPercent, string MountPoint, string Raw);
