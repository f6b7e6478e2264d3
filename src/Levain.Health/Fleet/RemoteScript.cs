using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Levain.Health.Collection;

namespace Levain.Health.Fleet;

/// <summary>
/// The POSIX sh script sent to each host on stdin. It runs every command of the plan under <c>timeout</c> and prints,
/// per command, a header line with the exit code and duration followed by stdout and (truncated) stderr in base64,
/// so no command output can be mistaken for a marker.
/// </summary>
public static partial class RemoteScript
{
    private const string Hello = "@@LEVAIN-HELLO@@";
    private const string Done = "@@LEVAIN-DONE@@";

    [GeneratedRegex(@"^@@LEVAIN-BEGIN (?<file>\S+) (?<rc>-?\d+) (?<ms>\d+)@@$")]
    private static partial Regex Begin();

    public static string Build(CollectionPlan plan, string? remotePathPrefix)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("LC_ALL=C; export LC_ALL\n");
        sb.Append("PATH=").Append(remotePathPrefix is null ? "" : CollectionPlan.ShellQuote(remotePathPrefix) + ":").Append("\"$PATH\":/usr/sbin:/sbin; export PATH\n");
        sb.Append("levain_ms() { t=$(date +%s%N 2>/dev/null); case $t in *N) echo $(( $(date +%s) * 1000 ));; *) echo $(( t / 1000000 ));; esac; }\n");
        sb.Append("levain_run() {\n");
        sb.Append("  o=$(mktemp) || exit 70; e=$(mktemp) || exit 70; s=$(levain_ms)\n");
        sb.Append("  timeout -k 2 \"$2\" sh -c \"$3\" </dev/null >\"$o\" 2>\"$e\"; rc=$?\n");
        sb.Append("  printf '@@LEVAIN-BEGIN %s %d %d@@\\n' \"$1\" \"$rc\" $(( $(levain_ms) - s ))\n");
        sb.Append("  base64 <\"$o\"; printf '@@LEVAIN-STDERR@@\\n'; head -c 4096 \"$e\" | base64; printf '@@LEVAIN-END@@\\n'\n");
        sb.Append("  rm -f \"$o\" \"$e\"\n");
        sb.Append("}\n");
        sb.Append("printf '").Append(Hello).Append("\\n'\n");
        foreach (var c in plan.Commands)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(c.Timeout.TotalSeconds));
            sb.Append("levain_run ").Append(c.File).Append(' ').Append(seconds.ToString(CultureInfo.InvariantCulture)).Append(' ')
              .Append(CollectionPlan.ShellQuote(c.Command)).Append('\n');
        }
        sb.Append("printf '").Append(Done).Append("\\n'\n");
        return sb.ToString();
    }

    /// <summary>
    /// Reads the script's output. Failure when the hello line never came (the remote side did not run our script);
    /// commands whose block is missing are left out (their checks become unknown).
    /// </summary>
    public static Levain.Health.Parsing.Parsed<IReadOnlyDictionary<string, CommandOutcome>> Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var hello = lines.IndexOf(Hello);
        if (hello < 0)
        {
            return Levain.Health.Parsing.Parsed<IReadOnlyDictionary<string, CommandOutcome>>.Failure("the remote side printed no collection output");
        }
        var outcomes = new Dictionary<string, CommandOutcome>(StringComparer.Ordinal);
        for (var i = hello + 1; i < lines.Count; i++)
        {
            var m = Begin().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }
            var stderrAt = lines.IndexOf("@@LEVAIN-STDERR@@", i + 1);
            var endAt = stderrAt < 0 ? -1 : lines.IndexOf("@@LEVAIN-END@@", stderrAt + 1);
            if (endAt < 0)
            {
                break; // truncated: the connection died mid-block
            }
            var stdoutText = Decode(lines, i + 1, stderrAt);
            var stderrText = Decode(lines, stderrAt + 1, endAt);
            if (stdoutText is null || stderrText is null)
            {
                break;
            }
            var rc = int.Parse(m.Groups["rc"].Value, CultureInfo.InvariantCulture);
            var ms = long.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture);
            outcomes[m.Groups["file"].Value] = new CommandOutcome(rc, stdoutText, stderrText, false, TimeSpan.FromMilliseconds(ms));
            i = endAt;
        }
        return Levain.Health.Parsing.Parsed<IReadOnlyDictionary<string, CommandOutcome>>.Success(outcomes);
    }

    private static string? Decode(List<string> lines, int from, int to)
    {
        try
        {
            var base64 = string.Concat(lines.Skip(from).Take(to - from));
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
