using Levain.Core;
using System.Text.Json;
using Levain.Health.Parsing.Kernel;

namespace Levain.Health.Baseline;

/// <summary>
/// The learned kernel-log baseline: every normalised line template seen on known-good nodes, with how many nodes
/// showed it and its typical position in the boot log (0 = first line, 1 = last), in first-seen order.
/// </summary>
public sealed class DmesgBaseline
{
    private readonly Dictionary<string, BaselineEntry> _entries;

    private DmesgBaseline(int nodeCount, IEnumerable<BaselineEntry> entries)
    {
        NodeCount = nodeCount;
        _entries = entries.ToDictionary(e => e.Template, StringComparer.Ordinal);
    }

    /// <summary>How many healthy logs the baseline was learned from.</summary>
    public int NodeCount { get; }

    public IReadOnlyCollection<BaselineEntry> Entries => _entries.Values;

    public bool Contains(string template) => _entries.ContainsKey(template);

    /// <summary>Learns from the kernel logs of known-good nodes.</summary>
    public static DmesgBaseline Learn(IEnumerable<IReadOnlyList<KernelLogLine>> healthyLogs)
    {
        ArgumentNullException.ThrowIfNull(healthyLogs);
        var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var positions = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        var count = 0;
        foreach (var log in healthyLogs)
        {
            count++;
            var seenHere = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < log.Count; i++)
            {
                var template = KernelLineNormalizer.Normalize(log[i].Message);
                if (template.Length == 0 || !seenHere.Add(template))
                {
                    continue;
                }
                if (!nodes.TryGetValue(template, out var n))
                {
                    order.Add(template);
                    positions[template] = [];
                }
                nodes[template] = n + 1;
                positions[template].Add(log.Count <= 1 ? 0 : (double)i / (log.Count - 1));
            }
        }
        var entries = order.Select(t => new BaselineEntry(t, nodes[t], Median(positions[t])));
        return new DmesgBaseline(count, entries);
    }

    /// <summary>Templates in <paramref name="log"/> that no healthy node showed, in log order.</summary>
    public IReadOnlyList<UnseenLine> FindUnseen(IReadOnlyList<KernelLogLine> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var found = new Dictionary<string, (string Example, int Count, int First)>(StringComparer.Ordinal);
        for (var i = 0; i < log.Count; i++)
        {
            var template = KernelLineNormalizer.Normalize(log[i].Message);
            if (template.Length == 0 || _entries.ContainsKey(template))
            {
                continue;
            }
            found[template] = found.TryGetValue(template, out var f) ? (f.Example, f.Count + 1, f.First) : (log[i].Raw, 1, i);
        }
        return found.OrderBy(kv => kv.Value.First).Select(kv => new UnseenLine(kv.Key, kv.Value.Example, kv.Value.Count)).ToList();
    }

    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new BaselineFile(1, NodeCount, [.. _entries.Values]);
        File.WriteAllText(path, JsonSerializer.Serialize(file, Options));
    }

    public static DmesgBaseline Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "baseline", "no such file");
        }
        try
        {
            var file = JsonSerializer.Deserialize<BaselineFile>(File.ReadAllText(path), Options)
                ?? throw new InputException(path, 1, "baseline", "empty file");
            if (file.Version != 1 || file.Entries is null)
            {
                throw new InputException(path, 1, "version", "not a levain baseline file (version 1 with entries)");
            }
            return new DmesgBaseline(file.NodeCount, file.Entries);
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int)(e.LineNumber ?? 0) + 1, e.Path ?? "baseline", e.Message);
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed record BaselineFile(int Version, int NodeCount, List<BaselineEntry>? Entries);
}
