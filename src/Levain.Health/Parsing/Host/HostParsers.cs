using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Host;

/// <summary>Parsers for host commands: <c>df -P</c>, <c>swapon --show</c>, <c>systemctl is-active</c>, <c>lsmod</c>.</summary>
public static partial class HostParsers
{
    [GeneratedRegex(@"^(?<fs>\S+)\s+(?<size>\d+)\s+(?<used>\d+)\s+(?<avail>\d+)\s+(?<pct>\d+|-)%?\s+(?<mnt>/.*)$")]
    private static partial Regex DfRow();

    [GeneratedRegex(@"^(?<name>\S+)\s+(?<type>\S+)\s+(?<size>\S+)\s+(?<used>\S+)\s+(?<prio>-?\d+)\s*$")]
    private static partial Regex SwapRow();

    [GeneratedRegex(@"^(?<module>\w+)\s+\d+\s+\d+")]
    private static partial Regex LsmodRow();

    private static readonly HashSet<string> UnitStates =
        ["active", "inactive", "failed", "activating", "deactivating", "reloading", "unknown", "maintenance", "refreshing"];

    public static Parsed<IReadOnlyList<FilesystemUsage>> ParseDf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = NonEmpty(text).ToList();
        if (lines.Count == 0 || !lines[0].StartsWith("Filesystem", StringComparison.Ordinal))
        {
            return Parsed<IReadOnlyList<FilesystemUsage>>.Failure("no df header (\"Filesystem ...\")");
        }
        var rows = new List<FilesystemUsage>();
        foreach (var line in lines.Skip(1))
        {
            var m = DfRow().Match(line);
            if (!m.Success)
            {
                return Parsed<IReadOnlyList<FilesystemUsage>>.Failure($"unrecognised df row: {line}");
            }
            var pct = m.Groups["pct"].Value == "-" ? 0 : int.Parse(m.Groups["pct"].Value, CultureInfo.InvariantCulture);
            rows.Add(new FilesystemUsage(m.Groups["fs"].Value, Long(m, "size"), Long(m, "used"), Long(m, "avail"), pct, m.Groups["mnt"].Value, line));
        }
        return Parsed<IReadOnlyList<FilesystemUsage>>.Success(rows);
    }

    /// <summary>Empty output is a valid answer: no swap.</summary>
    public static Parsed<IReadOnlyList<SwapDevice>> ParseSwapon(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = NonEmpty(text).ToList();
        if (lines.Count == 0)
        {
            return Parsed<IReadOnlyList<SwapDevice>>.Success([]);
        }
        if (!lines[0].StartsWith("NAME", StringComparison.Ordinal))
        {
            return Parsed<IReadOnlyList<SwapDevice>>.Failure("no swapon header (\"NAME TYPE SIZE USED PRIO\")");
        }
        var rows = new List<SwapDevice>();
        foreach (var line in lines.Skip(1))
        {
            var m = SwapRow().Match(line);
            if (!m.Success)
            {
                return Parsed<IReadOnlyList<SwapDevice>>.Failure($"unrecognised swapon row: {line}");
            }
            rows.Add(new SwapDevice(m.Groups["name"].Value, m.Groups["type"].Value, m.Groups["size"].Value, m.Groups["used"].Value, line));
        }
        return Parsed<IReadOnlyList<SwapDevice>>.Success(rows);
    }

    /// <summary><c>systemctl is-active A B C</c> prints one state per unit, in order; pairs them with <paramref name="units"/>.</summary>
    public static Parsed<IReadOnlyList<(string Unit, string State)>> ParseIsActive(string text, IReadOnlyList<string> units)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(units);
        var states = NonEmpty(text).ToList();
        if (states.Count != units.Count)
        {
            return Parsed<IReadOnlyList<(string, string)>>.Failure($"expected {units.Count} states (one per unit: {string.Join(", ", units)}), got {states.Count} lines");
        }
        foreach (var s in states)
        {
            if (!UnitStates.Contains(s))
            {
                return Parsed<IReadOnlyList<(string, string)>>.Failure($"not a unit state: {s}");
            }
        }
        return Parsed<IReadOnlyList<(string, string)>>.Success(units.Zip(states).ToList());
    }

    public static Parsed<IReadOnlySet<string>> ParseLsmod(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = NonEmpty(text).ToList();
        if (lines.Count == 0 || !lines[0].StartsWith("Module", StringComparison.Ordinal))
        {
            return Parsed<IReadOnlySet<string>>.Failure("no lsmod header (\"Module Size Used by\")");
        }
        var modules = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var m = LsmodRow().Match(line);
            if (!m.Success)
            {
                return Parsed<IReadOnlySet<string>>.Failure($"unrecognised lsmod row: {line}");
            }
            modules.Add(m.Groups["module"].Value);
        }
        return Parsed<IReadOnlySet<string>>.Success(modules);
    }

    private static IEnumerable<string> NonEmpty(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Select(l => l.Trim());

    private static long Long(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
}
