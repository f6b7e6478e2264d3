using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Nvlink;

/// <summary>Parses <c>nvidia-smi nvlink -s</c> (link speeds) and <c>nvidia-smi nvlink -e</c> (error counters).</summary>
public static partial class NvlinkParser
{
    [GeneratedRegex(@"^GPU (?<gpu>\d+): ")]
    private static partial Regex GpuHeader();

    [GeneratedRegex(@"^\s*Link (?<link>\d+): (?:(?<speed>[\d.]+) GB/s|(?<inactive>(?i:<inactive>|inactive|not active)))\s*$")]
    private static partial Regex Status();

    // On a GPU with no active link (a PCIe card, or every link down) the driver prints, under the GPU header:
    //     NVML: Unable to retrieve NVLink information as all links are inActive
    [GeneratedRegex(@"all links are inactive", RegexOptions.IgnoreCase)]
    private static partial Regex AllInactive();

    [GeneratedRegex(@"^\s*Link (?<link>\d+): (?<name>[A-Za-z][A-Za-z \-]*?): (?<value>\d+)\s*$")]
    private static partial Regex Counter();

    public static Parsed<IReadOnlyList<NvlinkLink>> ParseStatus(string text)
    {
        var report = ParseStatusReport(text);
        return report.IsSuccess ? Parsed<IReadOnlyList<NvlinkLink>>.Success(report.Value!.Links) : Parsed<IReadOnlyList<NvlinkLink>>.Failure(report.Error!);
    }

    /// <summary>Every GPU and link of <c>nvidia-smi nvlink -s</c>, including GPUs whose links are all inactive.</summary>
    public static Parsed<NvlinkStatusReport> ParseStatusReport(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var links = new List<NvlinkLink>();
        var gpus = new List<int>();
        int? gpu = null;
        foreach (var line in Lines(text))
        {
            var h = GpuHeader().Match(line);
            if (h.Success)
            {
                gpu = int.Parse(h.Groups["gpu"].Value, CultureInfo.InvariantCulture);
                gpus.Add(gpu.Value);
                continue;
            }
            if (gpu is not null && AllInactive().IsMatch(line))
            {
                continue; // the GPU is listed, with no active link
            }
            var m = Status().Match(line);
            if (m.Success && gpu is not null)
            {
                double? speed = m.Groups["speed"].Success ? double.Parse(m.Groups["speed"].Value, CultureInfo.InvariantCulture) : null;
                links.Add(new NvlinkLink(gpu.Value, int.Parse(m.Groups["link"].Value, CultureInfo.InvariantCulture), speed, line.Trim()));
            }
            else if (line.Trim().Length > 0)
            {
                return Parsed<NvlinkStatusReport>.Failure($"unrecognised line: {line.Trim()}");
            }
        }
        return gpus.Count == 0 && text.Trim().Length > 0
            ? Parsed<NvlinkStatusReport>.Failure("no \"GPU n:\" header")
            : Parsed<NvlinkStatusReport>.Success(new NvlinkStatusReport(gpus, links));
    }

    public static Parsed<IReadOnlyList<NvlinkErrorCounter>> ParseErrors(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counters = new List<NvlinkErrorCounter>();
        int? gpu = null;
        foreach (var line in Lines(text))
        {
            var h = GpuHeader().Match(line);
            if (h.Success)
            {
                gpu = int.Parse(h.Groups["gpu"].Value, CultureInfo.InvariantCulture);
                continue;
            }
            if (gpu is not null && AllInactive().IsMatch(line))
            {
                continue; // no counters for a GPU with no active link
            }
            var m = Counter().Match(line);
            if (m.Success && gpu is not null)
            {
                counters.Add(new NvlinkErrorCounter(gpu.Value, int.Parse(m.Groups["link"].Value, CultureInfo.InvariantCulture),
                    m.Groups["name"].Value.Trim(), long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture), line.Trim()));
            }
            else if (line.Trim().Length > 0)
            {
                return Parsed<IReadOnlyList<NvlinkErrorCounter>>.Failure($"unrecognised line: {line.Trim()}");
            }
        }
        return gpu is null && text.Trim().Length > 0
            ? Parsed<IReadOnlyList<NvlinkErrorCounter>>.Failure("no \"GPU n:\" header")
            : Parsed<IReadOnlyList<NvlinkErrorCounter>>.Success(counters);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));
}
