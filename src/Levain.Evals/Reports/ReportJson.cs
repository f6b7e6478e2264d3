using Levain.Core;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levain.Evals.Reports;

/// <summary>
/// Reads and writes reports as JSON (snake_case, enums as snake_case strings, nulls left out, no NaN or Infinity:
/// a non-finite number is written as null).
/// </summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new FiniteDoubleConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write(RunReport report, string path) => File.WriteAllText(path, Serialize(report));

    public static RunReport Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "file", "does not exist");
        }
        try
        {
            var report = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Options);
            return report?.Manifest is null || report.Tasks is null
                ? throw new InputException(path, 0, "manifest", "not a levain eval report (no manifest or tasks)")
                : report;
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int)(e.LineNumber ?? -1) + 1, e.Path ?? "json", $"not a levain eval report: {e.Message}");
        }
    }
}
