using Levain.Core;
using System.Text.Json;
using Levain.Health.Export;

namespace Levain.Health.Counters;

/// <summary>
/// The counters of the previous run per host, kept in <c>counters.json</c> in the state directory so NVLink and
/// InfiniBand error counters are judged as increases between runs. Updating a host merges: a counter missing from this
/// run (the tool failed) keeps its last value, so a failed capture never turns the next run into a false baseline.
/// </summary>
public sealed class CounterState
{
    public const string FileName = "counters.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly Dictionary<string, HostCounters> _hosts;
    private bool _isChanged;

    private CounterState(string path, Dictionary<string, HostCounters> hosts)
    {
        Path = path;
        _hosts = hosts;
    }

    public string Path { get; }

    /// <summary>Reads the state at <paramref name="path"/>; missing means no host has a baseline yet. A corrupt file is bad input.</summary>
    public static CounterState Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return new CounterState(path, new Dictionary<string, HostCounters>(StringComparer.Ordinal));
        }
        try
        {
            var file = JsonSerializer.Deserialize<StateFile>(File.ReadAllText(path), Json) ?? throw new InputException(path, 1, "counters", "empty file");
            return new CounterState(path, new Dictionary<string, HostCounters>(file.Hosts ?? [], StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int)(e.LineNumber ?? 0) + 1, e.Path is null or "$" ? "counters" : e.Path, e.Message);
        }
    }

    /// <summary>The previous run's counters of <paramref name="host"/>, or an empty snapshot (first run: baseline only).</summary>
    public CounterSnapshot Previous(string host) =>
        _hosts.TryGetValue(host, out var h) && h.Values is not null
            ? new CounterSnapshot(h.TakenAt, h.Values)
            : new CounterSnapshot(DateTimeOffset.MinValue, new Dictionary<string, long>());

    public void Update(string host, CounterSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Values.Count == 0)
        {
            return;
        }
        var merged = _hosts.TryGetValue(host, out var old) && old.Values is not null
            ? new Dictionary<string, long>(old.Values, StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in current.Values)
        {
            merged[key] = value;
        }
        _hosts[host] = new HostCounters(current.TakenAt, merged);
        _isChanged = true;
    }

    /// <summary>Writes the state atomically; does nothing when no host's counters changed (no file is created for nothing).</summary>
    public void Save()
    {
        if (_isChanged)
        {
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new StateFile(1, _hosts), Json) + "\n");
            _isChanged = false;
        }
    }

    private sealed record HostCounters(DateTimeOffset TakenAt, Dictionary<string, long>? Values);

    private sealed record StateFile(int FormatVersion, Dictionary<string, HostCounters>? Hosts);
}
