using System.Globalization;
using System.Text;
using Levain.Health.Fleet;
using Levain.Health.Results;

namespace Levain.Health.Export;

/// <summary>
/// Renders reports in the Prometheus text exposition format (version 0.0.4) for the node exporter's textfile
/// collector: status gauges per node and per check/subject, XID event counters per code and GPU, check durations,
/// and (for fleets) each host's SSH outcome.
/// </summary>
public static class PrometheusExporter
{
    public static string Render(IReadOnlyList<NodeReport> nodes, IReadOnlyList<HostReport>? hosts, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var sb = new StringBuilder();
        Family(sb, "levain_health_node_status", "gauge", "Worst result severity of the node: 0 ok, 1 warning, 2 critical, 3 unknown.",
            nodes.Select(n => (Labels(("host", n.Host)), (double)n.Status)));
        Family(sb, "levain_health_check_status", "gauge", "Worst severity per check and subject: 0 ok, 1 warning, 2 critical, 3 unknown.",
            nodes.SelectMany(n => n.Results
                .GroupBy(r => (r.CheckId, r.Subject))
                .OrderBy(g => g.Key.CheckId, StringComparer.Ordinal).ThenBy(g => g.Key.Subject, StringComparer.Ordinal)
                .Select(g => (Labels(("host", n.Host), ("check", g.Key.CheckId), ("subject", g.Key.Subject)), (double)SeverityOrder.Worst(g.Select(r => r.Severity))))));
        Family(sb, "levain_health_results", "gauge", "Number of results per severity.",
            nodes.SelectMany(n => Enum.GetValues<Severity>().Select(s =>
                (Labels(("host", n.Host), ("severity", SeverityOrder.Label(s))), (double)n.Results.Count(r => r.Severity == s)))));
        Family(sb, "levain_health_xid_events_total", "counter", "XID events in the captured kernel log, per code and GPU.",
            nodes.SelectMany(n => n.XidCounts.Select(x =>
                (Labels(("host", n.Host), ("code", x.Code.ToString(CultureInfo.InvariantCulture)), ("gpu", x.Gpu)), (double)x.Events))));
        Family(sb, "levain_health_check_duration_seconds", "gauge", "Time spent analysing each check group.",
            nodes.SelectMany(n => n.CheckDurations.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d =>
                (Labels(("host", n.Host), ("check", d.Key)), d.Value.TotalSeconds))));
        if (hosts is not null)
        {
            Family(sb, "levain_health_host_outcome", "gauge", "1 for the SSH outcome of each host (completed, unreachable, timed_out, failed).",
                hosts.SelectMany(h => Enum.GetValues<HostOutcome>().Select(o =>
                    (Labels(("host", h.Host.Name), ("outcome", OutcomeLabel(o))), h.Outcome == o ? 1.0 : 0.0))));
            Family(sb, "levain_health_host_duration_seconds", "gauge", "Wall time to reach and collect each host.",
                hosts.Select(h => (Labels(("host", h.Host.Name)), (h.FinishedAt - h.StartedAt).TotalSeconds)));
        }
        Family(sb, "levain_health_last_run_timestamp_seconds", "gauge", "When this file was written (Unix time).",
            [(Labels(), generatedAt.ToUnixTimeMilliseconds() / 1000.0)]);
        return sb.ToString();
    }

    /// <summary>Renders and writes atomically (temp file in the same directory, then rename).</summary>
    public static void Write(string path, IReadOnlyList<NodeReport> nodes, IReadOnlyList<HostReport>? hosts, DateTimeOffset generatedAt) =>
        AtomicFile.WriteAllText(path, Render(nodes, hosts, generatedAt));

    public static string OutcomeLabel(HostOutcome outcome) => outcome switch
    {
        HostOutcome.Completed => "completed",
        HostOutcome.Unreachable => "unreachable",
        HostOutcome.TimedOut => "timed_out",
        HostOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    private static void Family(StringBuilder sb, string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in samples)
        {
            if (seen.Add(labels)) // one sample per series, even if two hosts share a name
            {
                sb.Append(name).Append(labels).Append(' ').Append(Value(value)).Append('\n');
            }
        }
    }

    private static string Labels(params (string Name, string Value)[] labels) =>
        labels.Length == 0 ? "" : "{" + string.Join(",", labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Value(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);
}
