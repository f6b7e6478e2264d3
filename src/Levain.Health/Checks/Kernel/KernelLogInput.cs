using System.Globalization;
using Levain.Health.Bundles;
using Levain.Health.Parsing;
using Levain.Health.Parsing.Gpu;
using Levain.Health.Parsing.Kernel;

namespace Levain.Health.Checks.Kernel;

/// <summary>Reads the kernel log of a bundle, placing monotonic stamps in time with <c>uptime.txt</c> when possible.</summary>
public static class KernelLogInput
{
    public static Parsed<IReadOnlyList<KernelLogLine>> Read(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var output = bundle.Get(BundleFiles.KernelLog);
        if (!output.IsAvailable)
        {
            return Parsed<IReadOnlyList<KernelLogLine>>.Failure(output.Describe());
        }
        var lines = KernelLogParser.Parse(output.Text!, BootTime(bundle));
        return KernelLogParser.LooksLikeKernelLog(lines)
            ? Parsed<IReadOnlyList<KernelLogLine>>.Success(lines)
            : Parsed<IReadOnlyList<KernelLogLine>>.Failure($"{BundleFiles.KernelLog}: no line carries a kernel-log timestamp");
    }

    /// <summary>Capture time minus uptime; null when either is unknown.</summary>
    public static DateTimeOffset? BootTime(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var uptime = bundle.Get(BundleFiles.Uptime);
        if (bundle.CapturedAt is not { } captured || !uptime.IsAvailable)
        {
            return null;
        }
        var first = uptime.Text!.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? captured.AddSeconds(-seconds) : null;
    }

    /// <summary>Maps a GPU PCI address to "gpuN (bus id)" using nvidia-smi when the bundle has it.</summary>
    public static Func<string, string> GpuNamer(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var xml = bundle.Get(BundleFiles.NvidiaSmiXml);
        if (xml.IsAvailable && NvidiaSmiXmlParser.Parse(xml.Text!) is { IsSuccess: true } parsed)
        {
            foreach (var g in parsed.Value!.Gpus)
            {
                map[KernelEventExtractor.NormalizePci(g.BusId)] = g.Subject;
            }
        }
        return pci => map.TryGetValue(KernelEventExtractor.NormalizePci(pci), out var name) ? name : $"gpu ({pci})";
    }
}
