using Levain.Core;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals;
using Levain.Evals.Reports;
using Levain.Runner.Reports;
using Levain.Studies;

namespace Levain.Web.Dashboard;

/// <summary>
/// Reads what the dashboard shows, fresh on every call (stores, report files, trial logs), and returns the JSON the
/// CLI prints for the same things. Read-only: a SQLite file that does not exist yet is reported, never created.
/// </summary>
public sealed class DashboardData(DashboardOptions options)
{
    private readonly DashboardOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Every study of every source, with trial counts; a source that cannot be read is listed with its error.</summary>
    public async Task<JsonArray> ListStudiesAsync(CancellationToken cancellationToken)
    {
        var rows = new JsonArray();
        for (var i = 0; i < _options.Studies.Count; i++)
        {
            var source = _options.Studies[i];
            try
            {
                if (MissingDatabase(source) is { } missing)
                {
                    rows.Add(new JsonObject { ["source"] = i, ["storage"] = source.Storage, ["name"] = source.StudyName, ["error"] = missing });
                    continue;
                }
                await using var store = StudyStorage.Open(source.Storage, source.BaseDirectory);
                foreach (var s in await store.ListStudiesAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (source.StudyName is not null && s.Name != source.StudyName) continue;
                    rows.Add(new JsonObject
                    {
                        ["source"] = i,
                        ["storage"] = source.Storage,
                        ["name"] = s.Name,
                        ["created_at"] = s.CreatedAt.ToString("O"),
                        ["suggested"] = s.Suggested,
                        ["running"] = s.Running,
                        ["succeeded"] = s.Succeeded,
                        ["early_stopped"] = s.EarlyStopped,
                        ["failed"] = s.Failed,
                        ["abandoned"] = s.Abandoned,
                        ["best_output"] = s.BestOutput is double b && double.IsFinite(b) ? b : null,
                    });
                }
            }
            catch (Exception e) when (e is StudyStoreException or FormatException or ArgumentException or IOException)
            {
                rows.Add(new JsonObject { ["source"] = i, ["storage"] = source.Storage, ["name"] = source.StudyName, ["error"] = e.Message });
            }
        }
        return rows;
    }

    /// <summary>The study report (as <c>levain study show --json</c>), or null when there is no such study.</summary>
    public async Task<JsonObject?> StudyAsync(int source, string name, CancellationToken cancellationToken)
    {
        if (Source(source) is not { } s || MissingDatabase(s) is not null) return null;
        await using var store = StudyStorage.Open(s.Storage, s.BaseDirectory);
        var report = await StudyReportBuilder.BuildAsync(store, name, null, cancellationToken).ConfigureAwait(false);
        if (report is null) return null;
        var json = StudyReportJson.ToJson(report);
        json["source"] = source;
        json["storage"] = s.Storage;
        json["has_logs"] = s.LogDirectory is not null;
        return json;
    }

    /// <summary>The last lines of a trial's latest log in the study's log folder, or null when no log folder is known.</summary>
    public JsonObject? TrialLog(int source, int number)
    {
        if (Source(source) is not { LogDirectory: { } directory }) return null;
        var path = LatestLog(directory, number);
        if (!File.Exists(path)) return new JsonObject { ["path"] = path, ["lines"] = new JsonArray(), ["exists"] = false };
        var lines = Tail(path, _options.LogTailLines);
        return new JsonObject { ["path"] = path, ["exists"] = true, ["lines"] = new JsonArray(lines.Select(l => (JsonNode)l).ToArray()) };
    }

    /// <summary>
    /// The log of a trial's latest attempt (<c>trial-N.attempt-K.log</c>, highest K), or <c>trial-N.log</c> as older
    /// versions wrote it.
    /// </summary>
    public static string LatestLog(string directory, int number)
    {
        var prefix = $"trial-{number}.attempt-";
        var latest = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, prefix + "*.log")
                .Select(f => (File: f, Attempt: int.TryParse(Path.GetFileName(f)[prefix.Length..^4], out var k) ? k : -1))
                .Where(x => x.Attempt >= 0).OrderByDescending(x => x.Attempt).Select(x => x.File).FirstOrDefault()
            : null;
        return latest ?? Path.Combine(directory, $"trial-{number}.log");
    }

    /// <summary>The evaluation reports given on the command line, with their model and tasks (or why one cannot be read).</summary>
    public JsonArray ListEvals()
    {
        var rows = new JsonArray();
        for (var i = 0; i < _options.EvalReports.Count; i++)
        {
            var path = ReportPath(_options.EvalReports[i]);
            try
            {
                var report = ReportJson.Read(path);
                rows.Add(new JsonObject
                {
                    ["id"] = i,
                    ["path"] = path,
                    ["model_id"] = report.Manifest.ModelId,
                    ["backend"] = report.Manifest.Backend,
                    ["started_at"] = report.Manifest.StartedAt.ToString("O"),
                    ["tasks"] = new JsonArray(report.Tasks.Select(t => (JsonNode)t.Name).ToArray()),
                });
            }
            catch (InputException e)
            {
                rows.Add(new JsonObject { ["id"] = i, ["path"] = path, ["error"] = e.Message });
            }
        }
        return rows;
    }

    /// <summary>One evaluation report as <c>report.json</c> holds it; null when the id is unknown.</summary>
    public string? Eval(int id) => id >= 0 && id < _options.EvalReports.Count ? ReportJson.Serialize(ReportJson.Read(ReportPath(_options.EvalReports[id]))) : null;

    /// <summary>Run B against run A, paired per item (as <c>levain eval compare --json</c>).</summary>
    public string? CompareEvals(int a, int b, int seed = 0)
    {
        if (a < 0 || b < 0 || a >= _options.EvalReports.Count || b >= _options.EvalReports.Count) return null;
        var comparison = ReportComparer.Compare(ReportJson.Read(ReportPath(_options.EvalReports[a])), ReportJson.Read(ReportPath(_options.EvalReports[b])), seed);
        return ReportJson.Serialize(comparison);
    }

    /// <summary>The health reports given on the command line.</summary>
    public JsonArray ListHealth()
    {
        var rows = new JsonArray();
        for (var i = 0; i < _options.HealthReports.Count; i++)
        {
            var path = _options.HealthReports[i];
            var row = new JsonObject { ["id"] = i, ["path"] = path };
            try
            {
                var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
                row["status"] = node?["status"]?.DeepClone();
                row["hosts"] = (node?["hosts"] ?? node?["nodes"]) is JsonArray hosts ? hosts.Count : 1;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                row["error"] = e.Message;
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One health report's JSON as written by <c>levain health</c>; null when the id is unknown.</summary>
    public JsonNode? Health(int id) =>
        id >= 0 && id < _options.HealthReports.Count ? JsonNode.Parse(File.ReadAllText(_options.HealthReports[id])) : null;

    private DashboardStudySource? Source(int index) => index >= 0 && index < _options.Studies.Count ? _options.Studies[index] : null;

    private static string? MissingDatabase(DashboardStudySource source)
    {
        var (kind, location) = StudyStorage.Parse(source.Storage, source.BaseDirectory);
        return kind == "sqlite" && !File.Exists(location) ? $"no study database at {location} yet" : null;
    }

    private static string ReportPath(string path) => Directory.Exists(path) ? Path.Combine(path, "report.json") : path;

    /// <summary>The last <paramref name="count"/> lines of a file another process may be appending to.</summary>
    public static IReadOnlyList<string> Tail(string path, int count)
    {
        const int MaxBytes = 64 * 1024;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - MaxBytes);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - start];
        stream.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (start > 0 && lines.Count > 0) lines.RemoveAt(0); // a partial first line
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
    }
}
