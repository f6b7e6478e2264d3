using Levain.Health.Bundles;
using Levain.Health.Parsing.Gpu;
using Levain.Health.Parsing.Infiniband;
using Levain.Health.Parsing.Kernel;
using Levain.Health.Parsing.Nvlink;

namespace Levain.Health.Counters;

/// <summary>
/// Reads the cumulative error counters of a bundle (NVLink <c>nvlink -e</c>, InfiniBand sysfs) under stable keys: a GPU
/// by its PCI bus id when nvidia-smi's XML is there (its index otherwise), a port by "CA/port".
/// </summary>
public static class ErrorCounterReader
{
    public static string NvlinkKey(string gpu, int link, string counter) => $"nvlink|{gpu}|link{link}|{counter}";

    public static string IbKey(string port, string counter) => $"ib|{port}|{counter}";

    /// <summary>nvidia-smi index → "pci:00000000:18:00.0" (or "gpuN" when the XML is missing).</summary>
    public static Func<int, string> GpuIdentity(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var map = new Dictionary<int, string>();
        var xml = bundle.Get(BundleFiles.NvidiaSmiXml);
        if (xml.IsAvailable && NvidiaSmiXmlParser.Parse(xml.Text!) is { IsSuccess: true } parsed)
        {
            foreach (var g in parsed.Value!.Gpus)
            {
                map[g.Index] = "pci:" + KernelEventExtractor.NormalizePci(g.BusId);
            }
        }
        return index => map.TryGetValue(index, out var id) ? id : $"gpu{index}";
    }

    /// <summary>Every counter the bundle holds; empty when neither output is there or parses.</summary>
    public static IReadOnlyDictionary<string, long> Read(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var errors = bundle.Get(BundleFiles.NvlinkErrors);
        if (errors.IsAvailable && NvlinkParser.ParseErrors(errors.Text!) is { IsSuccess: true } nv)
        {
            var gpu = GpuIdentity(bundle);
            foreach (var c in nv.Value!)
            {
                values[NvlinkKey(gpu(c.Gpu), c.Link, c.Counter)] = c.Value;
            }
        }
        var sysfs = bundle.Get(BundleFiles.IbSysfs);
        if (sysfs.IsAvailable && IbstatParser.ParseSysfs(sysfs.Text!) is { IsSuccess: true } ib)
        {
            foreach (var port in ib.Value!)
            {
                foreach (var (name, value) in port.Counters)
                {
                    values[IbKey(port.Subject, name)] = value;
                }
            }
        }
        return values;
    }
}
