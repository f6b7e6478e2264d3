using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Runner.StudyFiles;

/// <summary>
/// Durations as written in study files: "45s", "30m", "2h", "1d", "1h30m", "500ms", "02:00:00" (h:mm:ss), or a plain
/// number of seconds.
/// </summary>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > 1e9) return false;
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var clock = ClockPattern().Match(s);
        if (clock.Success)
        {
            var h = int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
            var m = int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
            var sec = int.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture);
            if (m >= 60 || sec >= 60) return false;
            duration = new TimeSpan(h, m, sec);
            return true;
        }
        var parts = UnitPattern().Matches(s);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != s) return false;
        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }
        duration = total;
        return true;
    }

    /// <summary>Compact text for a duration: "1h05m", "3m20s", "12s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) duration = TimeSpan.Zero;
        if (duration.TotalHours >= 1) return $"{(int)duration.TotalHours}h{duration.Minutes:00}m";
        if (duration.TotalMinutes >= 1) return $"{duration.Minutes}m{duration.Seconds:00}s";
        return $"{duration.TotalSeconds:0}s";
    }

    [GeneratedRegex(@"^(\d+):(\d{1,2}):(\d{1,2})$")]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex UnitPattern();
}
