using Levain.Core;
using System.Globalization;
using System.Text.Json;

namespace Levain.Health.Training;

/// <summary>
/// Reads a training log as CSV (header row) or JSONL (one object per line) with the fields <c>step</c>,
/// <c>rank</c> (optional, default 0), <c>step_time</c> (seconds; also <c>step_time_s</c>, <c>time</c>,
/// <c>step_time_ms</c> in milliseconds) and <c>tokens</c>. Errors name the file, line and field.
/// </summary>
public static class TrainingLogReader
{
    private static readonly string[] TimeSeconds = ["step_time", "step_time_s", "step_time_seconds", "time"];

    public static IReadOnlyList<StepRecord> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "log", "no such file");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<StepRecord> Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var first = lines.FindIndex(l => l.Trim().Length > 0);
        if (first < 0)
        {
            throw new InputException(file, 0, "log", "empty training log");
        }
        var records = lines[first].TrimStart().StartsWith('{') ? ParseJsonl(lines, file) : ParseCsv(lines, first, file);
        return records.Count == 0 ? throw new InputException(file, 0, "log", "no step rows") : records;
    }

    private static List<StepRecord> ParseCsv(List<string> lines, int headerIndex, string file)
    {
        var header = lines[headerIndex].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(params string[] names) => names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var step = Column("step");
        var rank = Column("rank");
        var time = Column(TimeSeconds);
        var timeMs = Column("step_time_ms");
        var tokens = Column("tokens", "num_tokens");
        if (step < 0 || tokens < 0 || (time < 0 && timeMs < 0))
        {
            throw new InputException(file, headerIndex + 1, "header", "needs columns step, step_time (or step_time_ms) and tokens; rank is optional");
        }
        var records = new List<StepRecord>();
        for (var i = headerIndex + 1; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            var cells = lines[i].Split(',');
            string Cell(int index, string field) => index < cells.Length ? cells[index].Trim() : throw new InputException(file, i + 1, field, "missing value");
            var seconds = time >= 0 ? Number(Cell(time, header[time]), file, i + 1, header[time]) : Number(Cell(timeMs, "step_time_ms"), file, i + 1, "step_time_ms") / 1000;
            records.Add(Make(file, i + 1, Integer(Cell(step, "step"), file, i + 1, "step"), rank >= 0 ? (int)Integer(Cell(rank, "rank"), file, i + 1, "rank") : 0,
                seconds, Integer(Cell(tokens, header[tokens]), file, i + 1, header[tokens])));
        }
        return records;
    }

    private static List<StepRecord> ParseJsonl(List<string> lines, string file)
    {
        var records = new List<StepRecord>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            JsonElement row;
            try
            {
                using var doc = JsonDocument.Parse(lines[i]);
                row = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InputException(file, i + 1, "json", e.Message);
            }
            if (row.ValueKind != JsonValueKind.Object)
            {
                throw new InputException(file, i + 1, "json", "expected one JSON object per line");
            }
            double? Get(string name) => row.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble()
                : throw new InputException(file, i + 1, name, $"expected a number, got {v.ValueKind}") : null;
            var seconds = TimeSeconds.Select(Get).FirstOrDefault(v => v is not null) ?? (Get("step_time_ms") / 1000)
                ?? throw new InputException(file, i + 1, "step_time", "missing (step_time, step_time_s, time or step_time_ms)");
            var step = Get("step") ?? throw new InputException(file, i + 1, "step", "missing");
            var tokens = Get("tokens") ?? Get("num_tokens") ?? throw new InputException(file, i + 1, "tokens", "missing");
            records.Add(Make(file, i + 1, (long)step, (int)(Get("rank") ?? 0), seconds, (long)tokens));
        }
        return records;
    }

    private static StepRecord Make(string file, int line, long step, int rank, double seconds, long tokens)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds))
        {
            throw new InputException(file, line, "step_time", $"must be a positive number of seconds, got {seconds}");
        }
        if (tokens < 0 || rank < 0 || step < 0)
        {
            throw new InputException(file, line, tokens < 0 ? "tokens" : rank < 0 ? "rank" : "step", "must not be negative");
        }
        return new StepRecord(step, rank, seconds, tokens);
    }

    private static double Number(string s, string file, int line, string field) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new InputException(file, line, field, $"'{s}' is not a number");

    private static long Integer(string s, string file, int line, string field) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new InputException(file, line, field, $"'{s}' is not an integer");
}
