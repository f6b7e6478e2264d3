using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Health.Fleet;
using Levain.Health.Results;

namespace Levain.Health.Export;

/// <summary>Machine-readable reports (snake_case field names, as every levain --json; kebab-case enum values).</summary>
public static class HealthJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Node(NodeReport node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new JsonObject
        {
            ["host"] = node.Host,
            ["status"] = SeverityOrder.Label(node.Status),
            ["exit_code"] = SeverityOrder.ExitCode(node.Status),
            ["analyzed_at"] = node.AnalyzedAt.ToString("O"),
            ["results"] = new JsonArray(node.Results.Select(Result).ToArray<JsonNode?>()),
            ["check_durations_seconds"] = new JsonObject(node.CheckDurations.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value.TotalSeconds))),
            ["xid_counts"] = new JsonArray(node.XidCounts.Select(x => (JsonNode?)new JsonObject { ["code"] = x.Code, ["gpu"] = x.Gpu, ["events"] = x.Events }).ToArray()),
            ["facts"] = new JsonObject(node.Facts.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
            ["measurements"] = new JsonObject(node.Measurements.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        };
    }

    public static JsonObject Nodes(IReadOnlyList<NodeReport> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var status = SeverityOrder.Worst(nodes.Select(n => n.Status));
        return new JsonObject
        {
            ["status"] = SeverityOrder.Label(status),
            ["exit_code"] = SeverityOrder.ExitCode(status),
            ["nodes"] = new JsonArray(nodes.Select(n => (JsonNode?)Node(n)).ToArray()),
        };
    }

    public static JsonObject Fleet(FleetReport fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        return new JsonObject
        {
            ["status"] = SeverityOrder.Label(fleet.Status),
            ["exit_code"] = SeverityOrder.ExitCode(fleet.Status),
            ["elapsed_seconds"] = fleet.Elapsed.TotalSeconds,
            ["concurrency"] = fleet.Concurrency,
            ["peak_parallelism"] = fleet.PeakParallelism,
            ["hosts"] = new JsonArray(fleet.Hosts.Select(h =>
            {
                var node = Node(h.Report);
                node["host"] = h.Host.Name;
                node["outcome"] = PrometheusExporter.OutcomeLabel(h.Outcome).Replace('_', '-');
                node["detail"] = h.Detail;
                node["started_at"] = h.StartedAt.ToString("O");
                node["finished_at"] = h.FinishedAt.ToString("O");
                return (JsonNode?)node;
            }).ToArray()),
        };
    }

    public static JsonObject Result(CheckResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new JsonObject
        {
            ["check"] = r.CheckId,
            ["subject"] = r.Subject,
            ["severity"] = SeverityOrder.Label(r.Severity),
            ["message"] = r.Message,
            ["evidence"] = new JsonArray(r.Evidence.Select(e => (JsonNode?)e).ToArray()),
            ["remediation"] = RemediationNames.Name(r.Remediation),
        };
    }

    public static string Serialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Indented);
    }
}
