using System.Text.RegularExpressions;

namespace Levain.Health.Baseline;

/// <summary>
/// Turns a kernel-log message (timestamp already removed) into a template that is the same on every healthy node:
/// UUIDs, MAC addresses, PCI addresses, hex values, memory ranges, numbers and device indices become tokens.
/// </summary>
public static partial class KernelLineNormalizer
{
    [GeneratedRegex(@"\b(?:GPU-|MIG-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5,19}\b")]
    private static partial Regex Mac();

    [GeneratedRegex(@"\b(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(?:\.[0-7])?\b")]
    private static partial Regex Pci();

    [GeneratedRegex(@"\b0x[0-9a-fA-F]+\b|\b[0-9a-fA-F]{8,}\b")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    public static string Normalize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var s = Uuid().Replace(message, "<uuid>");
        s = Mac().Replace(s, "<mac>");
        s = Pci().Replace(s, "<pci>");
        s = Hex().Replace(s, "<hex>");
        s = Number().Replace(s, "<n>"); // also device indices: nvme0n1 -> nvme<n>n<n>, eth0 -> eth<n>
        return Space().Replace(s, " ").Trim();
    }
}
