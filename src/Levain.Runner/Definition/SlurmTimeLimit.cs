using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Runner.Definition;

/// <summary>
/// Slurm's time-limit text (sbatch --time): "minutes", "minutes:seconds", "hours:minutes:seconds", "days-hours",
/// "days-hours:minutes" or "days-hours:minutes:seconds" (the forms the sbatch manual lists).
/// </summary>
public static partial class SlurmTimeLimit
{
    public static bool TryParse(string text, out TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        limit = TimeSpan.Zero;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }
        var fields = match.Groups["rest"].Value.Split(':').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        if (match.Groups["days"].Success)
        {
            // days-hours[:minutes[:seconds]]
            var days = long.Parse(match.Groups["days"].Value, CultureInfo.InvariantCulture);
            limit = TimeSpan.FromDays(days) + TimeSpan.FromHours(fields[0])
                + (fields.Length > 1 ? TimeSpan.FromMinutes(fields[1]) : TimeSpan.Zero) + (fields.Length > 2 ? TimeSpan.FromSeconds(fields[2]) : TimeSpan.Zero);
            return true;
        }
        limit = fields.Length switch
        {
            1 => TimeSpan.FromMinutes(fields[0]),
            2 => TimeSpan.FromMinutes(fields[0]) + TimeSpan.FromSeconds(fields[1]),
            _ => TimeSpan.FromHours(fields[0]) + TimeSpan.FromMinutes(fields[1]) + TimeSpan.FromSeconds(fields[2]),
        };
        return true;
    }

    /// <summary>"days-hours:minutes:seconds" (or "hours:minutes:seconds" under a day), rounded up to the second.</summary>
    public static string Format(TimeSpan limit)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0.0, limit.TotalSeconds));
        var (days, rest) = (seconds / 86_400, seconds % 86_400);
        var clock = string.Create(CultureInfo.InvariantCulture, $"{rest / 3600:00}:{rest % 3600 / 60:00}:{rest % 60:00}");
        return days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{days}-{clock}") : clock;
    }

    [GeneratedRegex(@"^(?:(?<days>\d+)-)?(?<rest>\d+(?::\d{1,2}){0,2})$")]
    private static partial Regex Pattern();
}
