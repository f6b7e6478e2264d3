using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Kernel;

/// <summary>
/// Splits a kernel log into lines and timestamps. Understands <c>dmesg</c> (<c>[ 1234.567890] msg</c>),
/// <c>dmesg -T</c> (<c>[Mon Nov 23 08:00:01 2026] msg</c>), <c>dmesg --time-format iso</c>
/// (<c>2026-11-23T08:00:01,123456+00:00 msg</c>) and <c>journalctl -k -o short-iso[-precise]</c>
/// (<c>2026-11-23T08:00:01+0000 host kernel: msg</c>). Lines with no recognisable stamp are kept with no time.
/// </summary>
public static partial class KernelLogParser
{
    [GeneratedRegex(@"^\[\s*(?<mono>\d+\.\d+)\]\s?(?<msg>.*)$")]
    private static partial Regex Monotonic();

    [GeneratedRegex(@"^\[(?<ctime>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})\]\s?(?<msg>.*)$")]
    private static partial Regex CTime();

    [GeneratedRegex(@"^(?<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[,.](?<frac>\d+))?(?<tz>Z|[+-]\d{2}:?\d{2})\s(?<msg>.*)$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^\S+ kernel: (?<msg>.*)$")]
    private static partial Regex JournalPrefix();

    /// <summary>Parses every non-empty line. <paramref name="bootTime"/> places monotonic stamps in wall-clock time.</summary>
    public static IReadOnlyList<KernelLogLine> Parse(string text, DateTimeOffset? bootTime = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<KernelLogLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("-- ", StringComparison.Ordinal))
            {
                continue; // journalctl "-- Boot ..." / "-- No entries --" separators
            }
            lines.Add(ParseLine(number, line, bootTime));
        }
        return lines;
    }

    /// <summary>True when at least one line had a recognisable timestamp (used to tell a log from garbage).</summary>
    public static bool LooksLikeKernelLog(IReadOnlyList<KernelLogLine> lines) =>
        lines.Count == 0 || lines.Any(l => l.Time is not null || l.SecondsSinceBoot is not null);

    private static KernelLogLine ParseLine(int number, string line, DateTimeOffset? bootTime)
    {
        var m = Monotonic().Match(line);
        if (m.Success)
        {
            var seconds = double.Parse(m.Groups["mono"].Value, CultureInfo.InvariantCulture);
            return new KernelLogLine(number, bootTime?.AddSeconds(seconds), seconds, m.Groups["msg"].Value, line);
        }

        m = CTime().Match(line);
        if (m.Success && DateTime.TryParseExact(m.Groups["ctime"].Value.Replace("  ", " ", StringComparison.Ordinal), "ddd MMM d HH:mm:ss yyyy",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ctime))
        {
            return new KernelLogLine(number, new DateTimeOffset(ctime, TimeSpan.Zero), null, m.Groups["msg"].Value, line);
        }

        m = Iso().Match(line);
        if (m.Success)
        {
            var frac = m.Groups["frac"].Success ? "." + m.Groups["frac"].Value : "";
            var tz = m.Groups["tz"].Value;
            if (tz != "Z" && !tz.Contains(':', StringComparison.Ordinal))
            {
                tz = tz[..3] + ":" + tz[3..];
            }
            if (DateTimeOffset.TryParse(m.Groups["iso"].Value + frac + tz, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                var msg = m.Groups["msg"].Value;
                var journal = JournalPrefix().Match(msg);
                return new KernelLogLine(number, time, null, journal.Success ? journal.Groups["msg"].Value : msg, line);
            }
        }

        return new KernelLogLine(number, null, null, line, line);
    }
}
