using Levain.Core;
using System.Globalization;
using System.Text.Json;

namespace Levain.Evals.Quality;

/// <summary>
/// Reads judgments from JSON Lines: <c>question</c>, <c>choices</c>, <c>original_answer</c>, <c>participant_answer</c>
/// (null or missing: "none is correct"), <c>confidence</c> (0–1, or 0–100 read as percent), optional <c>reason</c> and
/// <c>status</c> (ok | ambiguous | mislabeled | multiple_correct | no_correct). Answers are choice texts, letters or indices.
/// </summary>
public static class JudgmentFileReader
{
    public static IReadOnlyList<Judgment> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "file", "does not exist");
        }
        var judgments = new List<Judgment>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                judgments.Add(Parse(document.RootElement, path, lineNumber));
            }
            catch (JsonException e)
            {
                throw new InputException(path, lineNumber, "json", $"not valid JSON ({e.Message})");
            }
        }
        return judgments;
    }

    private static Judgment Parse(JsonElement root, string path, int line)
    {
        InputException Bad(string field, string problem) => new(path, line, field, problem);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("json", "each line must be a JSON object");
        }
        string? Text(string name, bool isRequired)
        {
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return isRequired ? throw Bad(name, "missing") : null;
            }
            return v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => throw Bad(name, "must be a string or a number"),
            };
        }
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw Bad("choices", "missing or not an array");
        }
        var confidence = 1.0;
        if (root.TryGetProperty("confidence", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            confidence = c.ValueKind switch
            {
                JsonValueKind.Number => c.GetDouble(),
                JsonValueKind.String when double.TryParse(c.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw Bad("confidence", "must be a number"),
            };
            if (confidence > 1 && confidence <= 100)
            {
                confidence /= 100;
            }
            if (confidence is < 0 or > 1)
            {
                throw Bad("confidence", "must be between 0 and 1 (or a percentage)");
            }
        }
        return new Judgment(
            Text("question", true)!,
            [.. choices.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())],
            Text("original_answer", true)!,
            Text("participant_answer", false),
            confidence,
            Text("reason", false),
            Text("status", false),
            line);
    }
}
