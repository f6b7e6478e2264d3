using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Reports;

/// <summary>All trials of a study as CSV (one column per parameter) or as a JSON array.</summary>
public static class StudyExport
{
    private static readonly string[] FixedColumns =
        ["trial", "state", "output", "cost", "elapsed_seconds", "attempt", "phase", "worker", "created_at", "started_at", "finished_at", "failure", "result"];

    public static string ToCsv(StudyRecord study, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        var names = study.Spec.Parameters.Select(p => p.Name).ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", FixedColumns.Concat(names).Select(Escape)));
        foreach (var t in trials)
        {
            var cells = new List<string?>
            {
                t.Number.ToString(CultureInfo.InvariantCulture), Name(t.State), Number(t.Output), Number(t.Cost), Number(t.ElapsedSeconds),
                t.Attempt.ToString(CultureInfo.InvariantCulture), t.Phase.ToString(), t.WorkerId, Time(t.CreatedAt), Time(t.StartedAt),
                Time(t.FinishedAt), t.FailureReason, t.ResultJson,
            };
            cells.AddRange(names.Select(n => t.Parameters.TryGetValue(n, out var v) ? v.ToString() : null));
            text.AppendLine(string.Join(",", cells.Select(c => Escape(c ?? ""))));
        }
        return text.ToString();
    }

    public static string ToJson(StudyRecord study, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        var array = new JsonArray();
        foreach (var t in trials)
        {
            var parameters = new JsonObject();
            foreach (var (key, value) in t.Parameters) parameters[key] = JsonSerializer.SerializeToNode(value);
            array.Add(new JsonObject
            {
                ["trial"] = t.Number,
                ["state"] = Name(t.State),
                ["output"] = t.Output,
                ["cost"] = t.Cost,
                ["elapsed_seconds"] = t.ElapsedSeconds,
                ["attempt"] = t.Attempt,
                ["phase"] = t.Phase.ToString(),
                ["worker"] = t.WorkerId,
                ["created_at"] = Time(t.CreatedAt),
                ["started_at"] = Time(t.StartedAt),
                ["finished_at"] = Time(t.FinishedAt),
                ["failure"] = t.FailureReason,
                ["parameters"] = parameters,
                ["result"] = t.ResultJson is null ? null : JsonNode.Parse(t.ResultJson),
            });
        }
        var root = new JsonObject
        {
            ["study"] = study.Name,
            ["direction"] = study.Spec.Direction.ToString().ToLowerInvariant(),
            ["metric"] = study.Spec.Metric,
            ["cost"] = study.Spec.CostSource,
            ["trials"] = array,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Name(TrialState state) => state.ToString().ToLowerInvariant();

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    private static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
