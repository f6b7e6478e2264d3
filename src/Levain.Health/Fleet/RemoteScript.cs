using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Levain.Health.Collection;

namespace Levain.Health.Fleet;

/// <summary>
/// The POSIX sh script sent to each host on stdin. Hang-proof: it starts every command of the plan at once in the
/// background (the kernel log first), each under <c>timeout -k 2</c> writing to its own temporary files, and prints
/// each command's block as soon as it finishes — so whatever arrives before a host timeout is kept. A command still
/// running at the script's own deadline (the longest timeout + 3 s: one stuck in uninterruptible sleep survives even
/// SIGKILL) gets its partial output printed with exit code 124 and is abandoned, never waited for. Each block is a
/// header line with the exit code and duration followed by stdout and (truncated) stderr in base64, so no command
/// output can be mistaken for a marker.
/// </summary>
/// <remarks>
/// Event-driven and light: each finished command, and a watchdog at the deadline, writes one line to a FIFO the script
/// blocks on (no polling loop), and times come from <c>/proc/uptime</c> through the shell's own <c>read</c> (no
/// <c>date</c> per command; <c>date</c> only where <c>/proc/uptime</c> is missing). A node runs about five processes
/// per command; the script sleeps while its commands run.
/// </remarks>
public static partial class RemoteScript
{
    private const string Hello = "@@LEVAIN-HELLO@@";
    private const string Done = "@@LEVAIN-DONE@@";

    /// <summary>Seconds the script waits past the longest command timeout before abandoning what still runs.</summary>
    public const int AbandonSlackSeconds = 3;

    [GeneratedRegex(@"^@@LEVAIN-BEGIN (?<file>\S+) (?<rc>-?\d+) (?<ms>\d+)@@$")]
    private static partial Regex Begin();

    /// <summary>True when the output carries the closing marker: every command block was sent.</summary>
    public static bool IsComplete(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        return stdout.Contains("\n" + Done + "\n", StringComparison.Ordinal);
    }

    public static string Build(CollectionPlan plan, string? remotePathPrefix)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("LC_ALL=C; export LC_ALL\n");
        sb.Append("PATH=").Append(remotePathPrefix is null ? "" : CollectionPlan.ShellQuote(remotePathPrefix) + ":").Append("\"$PATH\":/usr/sbin:/sbin; export PATH\n");
        // levain_now sets levain_ms (milliseconds; since boot from /proc/uptime in 10 ms steps, else since the epoch).
        sb.Append("if [ -r /proc/uptime ]; then\n");
        sb.Append("  levain_now() { read levain_up levain_idle </proc/uptime; levain_ms=$(( ${levain_up%.*} * 1000 + 1${levain_up#*.}0 - 1000 )); }\n");
        sb.Append("else\n");
        sb.Append("  levain_now() { levain_ms=$(( $(date +%s) * 1000 )); }\n");
        sb.Append("fi\n");
        sb.Append("levain_d=$(mktemp -d 2>/dev/null) || { echo 'levain: mktemp -d failed' >&2; exit 70; }\n");
        // fd 3: the event FIFO, opened read-write so it never reports end-of-file and no writer ever blocks on open.
        sb.Append("mkfifo \"$levain_d/events\" && exec 3<>\"$levain_d/events\" || { echo 'levain: mkfifo failed' >&2; rm -rf \"$levain_d\"; exit 70; }\n");
        // Each command in a background subshell detached from the session's pipes (a stuck one must not hold the SSH
        // channel open); its exit code and duration land in <file>.rc, then its name goes to the FIFO.
        sb.Append("levain_start() {\n");
        sb.Append("  ( levain_now; s=$levain_ms\n");
        sb.Append("    timeout -k 2 \"$2\" sh -c \"$3\" </dev/null >\"$levain_d/$1.out\" 2>\"$levain_d/$1.err\" 3>&-; rc=$?\n");
        sb.Append("    levain_now; echo \"$rc $(( levain_ms - s ))\" >\"$levain_d/$1.rc\"; echo \"$1\" >&3\n");
        sb.Append("  ) </dev/null >/dev/null 2>&1 &\n");
        sb.Append("}\n");
        sb.Append("levain_emit() {\n");
        sb.Append("  printf '@@LEVAIN-BEGIN %s %d %d@@\\n' \"$1\" \"$2\" \"$3\"\n");
        sb.Append("  base64 2>/dev/null <\"$levain_d/$1.out\"; printf '@@LEVAIN-STDERR@@\\n'\n");
        sb.Append("  if [ -s \"$levain_d/$1.err\" ]; then head -c 4096 \"$levain_d/$1.err\" | base64; fi; printf '@@LEVAIN-END@@\\n'\n");
        sb.Append("}\n");
        sb.Append("printf '").Append(Hello).Append("\\n'\n");
        sb.Append("levain_now; levain_t0=$levain_ms\n");
        var ordered = plan.Commands.OrderBy(c => c.File == Bundles.BundleFiles.KernelLog ? 0 : 1).ToList();
        var longest = 1;
        foreach (var c in ordered)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(c.Timeout.TotalSeconds));
            longest = Math.Max(longest, seconds);
            sb.Append("levain_start ").Append(c.File).Append(' ').Append(seconds.ToString(CultureInfo.InvariantCulture)).Append(' ')
              .Append(CollectionPlan.ShellQuote(c.Command)).Append('\n');
        }
        // The watchdog: at the deadline it writes @deadline to the FIFO; killed early, it takes its sleep along.
        sb.Append("( trap 'kill $levain_s 2>/dev/null; exit 0' TERM; sleep ").Append((longest + AbandonSlackSeconds).ToString(CultureInfo.InvariantCulture))
          .Append(" 3>&- & levain_s=$!; wait $levain_s; echo @deadline >&3 ) </dev/null >/dev/null 2>&1 &\n");
        sb.Append("levain_wd=$!\n");
        sb.Append("levain_all='").Append(string.Join(' ', ordered.Select(c => c.File))).Append("'\n");
        sb.Append("levain_done=' '\n");
        sb.Append("levain_left=").Append(ordered.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("while [ \"$levain_left\" -gt 0 ] && read -r levain_f <&3 && [ \"$levain_f\" != @deadline ]; do\n");
        sb.Append("  read levain_rc levain_el <\"$levain_d/$levain_f.rc\"; levain_emit \"$levain_f\" \"$levain_rc\" \"$levain_el\"\n");
        sb.Append("  levain_done=\"$levain_done$levain_f \"; levain_left=$(( levain_left - 1 ))\n");
        sb.Append("done\n");
        // Past the deadline: a command that ended meanwhile (its .rc complete, its FIFO line behind @deadline) is
        // reported as it ended; the rest is abandoned with its partial output (exit 124, time since the start).
        sb.Append("levain_now\n");
        sb.Append("for f in $levain_all; do\n");
        sb.Append("  case $levain_done in *\" $f \"*) continue ;; esac\n");
        sb.Append("  levain_rc=; levain_el=; [ -f \"$levain_d/$f.rc\" ] && read levain_rc levain_el 2>/dev/null <\"$levain_d/$f.rc\"\n");
        sb.Append("  if [ -n \"$levain_el\" ]; then levain_emit \"$f\" \"$levain_rc\" \"$levain_el\"; else levain_emit \"$f\" 124 $(( levain_ms - levain_t0 )); fi\n");
        sb.Append("done\n");
        sb.Append("kill $levain_wd 2>/dev/null\n");
        sb.Append("printf '").Append(Done).Append("\\n'\n");
        sb.Append("exec 3>&-\n");
        sb.Append("rm -rf \"$levain_d\" 2>/dev/null\n");
        sb.Append("exit 0\n");
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
