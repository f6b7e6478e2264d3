using Levain.Core;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Fleet;

/// <summary>
/// Parses a hosts file: one <c>[user@]host[:port]</c> per line (IPv6 as <c>[addr]:port</c>), <c>#</c> comments and
/// blank lines ignored. Bad or duplicate entries are errors naming the file and line.
/// </summary>
public static partial class HostsFileParser
{
    [GeneratedRegex(@"^(?:(?<user>[A-Za-z0-9._-]+)@)?(?:\[(?<v6>[0-9A-Fa-f:.]+)\]|(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?))(?::(?<port>\d+))?$")]
    private static partial Regex Entry();

    public static IReadOnlyList<HostEntry> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "hosts", "no such file");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<HostEntry> Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<HostEntry>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (number, line) in ContentLines(text))
        {
            var m = Entry().Match(line);
            if (!m.Success)
            {
                throw new InputException(file, number, "host", $"'{line}' is not [user@]host[:port]");
            }
            int? port = null;
            if (m.Groups["port"].Success)
            {
                if (!int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    throw new InputException(file, number, "port", $"'{m.Groups["port"].Value}' is not a port (1-65535)");
                }
                port = p;
            }
            if (seen.TryGetValue(line, out var first))
            {
                throw new InputException(file, number, "host", $"'{line}' is listed twice (first on line {first})");
            }
            seen[line] = number;
            var address = m.Groups["v6"].Success ? m.Groups["v6"].Value : m.Groups["host"].Value;
            entries.Add(new HostEntry(line, address, port, m.Groups["user"].Success ? m.Groups["user"].Value : null, number));
        }
        if (entries.Count == 0)
        {
            throw new InputException(file, 0, "hosts", "no hosts listed");
        }
        return entries;
    }

    /// <summary>The lines of a line-based list file with their 1-based numbers: <c>#</c> comments cut, trimmed, blank ones skipped.</summary>
    internal static IEnumerable<(int Number, string Line)> ContentLines(string text)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0)
            {
                yield return (number, line);
            }
        }
    }
}
