using Levain.Core;
using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Health.Export;
using Levain.Health.Results;

namespace Levain.Health.Remediations;

/// <summary>
/// What <c>--apply</c> already did, kept in a JSON state file (<c>remediations.json</c> in the state directory) so a
/// remediation is never repeated for the same event across runs. An action is skipped when every event it answers
/// has an entry for the same host and action that succeeded, or that failed <see cref="MaxAttempts"/> times. Entries
/// are forgotten only when the check that produced them ran again with a verdict and no longer reports the event (the
/// condition cleared, or the kernel-log event left the window), so a later recurrence is a new event.
/// </summary>
public sealed class RemediationLedger
{
    /// <summary>A failed command (GPU busy, drain refused) is retried on later runs, at most this many attempts in all.</summary>
    public const int MaxAttempts = 3;

    public const string FileName = "remediations.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly List<LedgerEntry> _entries;

    private RemediationLedger(string path, List<LedgerEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Reads the ledger at <paramref name="path"/>; a missing file is an empty ledger. A corrupt one is bad input (never overwritten).</summary>
    public static RemediationLedger Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return new RemediationLedger(path, []);
        }
        try
        {
            var file = JsonSerializer.Deserialize<LedgerFile>(File.ReadAllText(path), Json)
                ?? throw new InputException(path, 1, "ledger", "empty file");
            var entries = file.Entries ?? [];
            for (var i = 0; i < entries.Count; i++)
            {
                if (string.IsNullOrEmpty(entries[i].Host) || string.IsNullOrEmpty(entries[i].Event) || string.IsNullOrEmpty(entries[i].Remediation))
                {
                    throw new InputException(path, 0, $"entries[{i}]", "host, remediation and event are required");
                }
            }
            return new RemediationLedger(path, [.. entries]);
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int)(e.LineNumber ?? 0) + 1, e.Path is null or "$" ? "ledger" : e.Path, e.Message);
        }
    }

    /// <summary>The entry that makes <paramref name="action"/> unnecessary, or null when it should run.</summary>
    public LedgerEntry? Covering(RemediationAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Events.Count == 0)
        {
            return null;
        }
        LedgerEntry? last = null;
        foreach (var e in action.Events)
        {
            var entry = Find(action.Host, action.Name, e);
            if (entry is null || !(entry.Succeeded || entry.Attempts >= MaxAttempts))
            {
                return null;
            }
            last = last is null || entry.LastAttemptAt > last.LastAttemptAt ? entry : last;
        }
        return last;
    }

    /// <summary>Records that <paramref name="outcome"/>'s command ran at <paramref name="at"/>, for every event it answers.</summary>
    public void Record(RemediationOutcome outcome, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var action = outcome.Action;
        if (action.Command is null)
        {
            return; // needs a person: nothing ran
        }
        foreach (var e in action.Events)
        {
            var old = Find(action.Host, action.Name, e);
            if (old is not null)
            {
                _entries.Remove(old);
            }
            _entries.Add(new LedgerEntry(action.Host, action.Name, e, action.Command, at, (old?.Attempts ?? 0) + 1, outcome.IsApplied, outcome.ExitCode));
        }
    }

    /// <summary>
    /// Forgets this host's entries whose event is no longer reported by a check that ran with a verdict (no unknown
    /// result from that check): the condition cleared, so a recurrence is a new event. Returns how many were dropped.
    /// </summary>
    public int Forget(NodeReport node, IReadOnlyList<RemediationAction> plan)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(plan);
        var current = plan.SelectMany(a => a.Events).ToHashSet(StringComparer.Ordinal);
        var judged = node.Results.GroupBy(r => r.CheckId)
            .Where(g => g.All(r => r.Severity != Severity.Unknown)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return _entries.RemoveAll(e => e.Host == node.Host && !current.Contains(e.Event) && judged.Contains(e.CheckId));
    }

    /// <summary>Writes the ledger atomically (temp file, then rename).</summary>
    public void Save() => AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new LedgerFile(1, _entries), Json) + "\n");

    private LedgerEntry? Find(string host, string remediation, string e) =>
        _entries.FirstOrDefault(x => x.Host == host && x.Remediation == remediation && x.Event == e);

    private sealed record LedgerFile(int FormatVersion, List<LedgerEntry>? Entries);
}
