using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Runner.Launchers;

/// <summary>
/// A Slurm job's state as reported by squeue (state only) or scontrol/sacct (state, exit code and signal from
/// "ExitCode=a:b"). <see cref="IsFinal"/> is true once the job will not run any more.
/// </summary>
public sealed partial record SlurmJobState(string State, int? ExitCode, int? Signal, string? Reason)
{
    private static readonly HashSet<string> Active = new(StringComparer.Ordinal)
    {
        "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
        "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD",
    };

    public bool IsFinal => !Active.Contains(State);

    /// <summary>Time spent RUNNING (scontrol RunTime, sacct Elapsed), never PENDING; null when not reported.</summary>
    public TimeSpan? RunTime { get; init; }

    /// <summary>Parses Slurm's elapsed format: [D-]HH:MM:SS, MM:SS or MM:SS.mmm; null if malformed.</summary>
    public static TimeSpan? ParseElapsed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = ElapsedPattern().Match(text.Trim());
        if (!match.Success) return null;
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3), Part(4));
    }

    /// <summary>Parses one line of <c>scontrol show job -o</c>; null if it has no JobState.</summary>
    public static SlurmJobState? FromScontrol(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = StatePattern().Match(text);
        if (!state.Success) return null;
        var exit = ExitPattern().Match(text);
        var reason = ReasonPattern().Match(text);
        var runTime = RunTimePattern().Match(text);
        return new SlurmJobState(
            state.Groups[1].Value,
            exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            exit.Success ? NonZero(int.Parse(exit.Groups[2].Value, CultureInfo.InvariantCulture)) : null,
            reason.Success && reason.Groups[1].Value != "None" ? reason.Groups[1].Value : null)
        {
            RunTime = runTime.Success ? ParseElapsed(runTime.Groups[1].Value) : null,
        };
    }

    /// <summary>Parses <c>sacct -n -P -o State,ExitCode[,Elapsed]</c> output (first line); null if empty.</summary>
    public static SlurmJobState? FromSacct(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null) return null;
        var parts = line.Split('|');
        var state = parts[0].Split(' ')[0];
        if (state.Length == 0) return null;
        int? code = null, signal = null;
        if (parts.Length > 1 && parts[1].Split(':') is [var a, var b]
            && int.TryParse(a, CultureInfo.InvariantCulture, out var ci) && int.TryParse(b, CultureInfo.InvariantCulture, out var si))
        {
            code = ci;
            signal = NonZero(si);
        }
        return new SlurmJobState(state, code, signal, null) { RunTime = parts.Length > 2 ? ParseElapsed(parts[2]) : null };
    }

    private static int? NonZero(int value) => value == 0 ? null : value;

    [GeneratedRegex(@"\bJobState=(\S+)")]
    private static partial Regex StatePattern();

    [GeneratedRegex(@"\bExitCode=(\d+):(\d+)")]
    private static partial Regex ExitPattern();

    [GeneratedRegex(@"\bRunTime=(\S+)")]
    private static partial Regex RunTimePattern();

    [GeneratedRegex(@"^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)(?:\.\d+)?$")]
    private static partial Regex ElapsedPattern();

    [GeneratedRegex(@"\bReason=(\S+)")]
    private static partial Regex ReasonPattern();
}
