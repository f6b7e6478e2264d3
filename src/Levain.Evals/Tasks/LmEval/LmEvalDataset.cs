using Levain.Core;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Serialization;

namespace Levain.Evals.Tasks.LmEval;

/// <summary>
/// Reads the documents of one split from local files in the layouts a Hugging Face dataset is exported in:
/// JSON Lines, a JSON array (or <c>{"data": [...]}</c>), or Parquet (<c>train-00000-of-00001.parquet</c> shards,
/// read with Parquet.Net). Each document is a JSON object; the line (JSON Lines) or row number is kept for messages.
/// </summary>
public static class LmEvalDataset
{
    public sealed record Document(JsonObject Fields, string File, int Line);

    /// <summary>The files of <paramref name="split"/> under a dataset folder, in the usual export layouts.</summary>
    public static IReadOnlyList<string> FindSplitFiles(string folder, string? datasetName, string split)
    {
        var roots = new[] { datasetName is null ? null : Path.Combine(folder, datasetName), Path.Combine(folder, "data"), folder }
            .Where(r => r is not null && Directory.Exists(r)).Cast<string>();
        foreach (var root in roots)
        {
            var files = Directory.EnumerateFiles(root)
                .Where(f => IsDataFile(f) && (Path.GetFileNameWithoutExtension(f) == split || Path.GetFileName(f).StartsWith(split + "-", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count > 0)
            {
                return files;
            }
        }
        return [];
    }

    private static bool IsDataFile(string path) => Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".json" or ".parquet" or ".ndjson";

    public static IReadOnlyList<Document> Read(IReadOnlyList<string> files)
    {
        var documents = new List<Document>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new InputException(file, 0, "data_files", "does not exist");
            }
            documents.AddRange(Path.GetExtension(file).ToLowerInvariant() == ".parquet" ? ReadParquet(file) : ReadJson(file));
        }
        return documents;
    }

    private static IEnumerable<Document> ReadJson(string file)
    {
        var text = File.ReadAllText(file);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('[') || (trimmed.StartsWith('{') && !text.Trim().Contains('\n', StringComparison.Ordinal)))
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InputException(file, (int)(e.LineNumber ?? 0) + 1, "json", $"not valid JSON ({e.Message})");
            }
            var rows = root as JsonArray ?? (root?["data"] as JsonArray) ?? (root is JsonObject single ? new JsonArray(single.DeepClone()) : null)
                ?? throw new InputException(file, 1, "json", "must be JSON Lines, an array of objects or {\"data\": [...]}");
            return rows.Select((r, i) => new Document(r as JsonObject ?? throw new InputException(file, i + 1, "json", "each row must be an object"), file, i + 1)).ToList();
        }
        var documents = new List<Document>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                documents.Add(new Document(JsonNode.Parse(line) as JsonObject ?? throw new InputException(file, lineNumber, "json", "each line must be a JSON object"), file, lineNumber));
            }
            catch (JsonException e)
            {
                throw new InputException(file, lineNumber, "json", $"not valid JSON ({e.Message})");
            }
        }
        return documents;
    }

    private static List<Document> ReadParquet(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            var result = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            return [.. result.Data.Select((row, i) => new Document(
                JsonSerializer.SerializeToNode(row) as JsonObject ?? throw new InputException(file, i + 1, "parquet", "a row is not a record"), file, i + 1))];
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new InputException(file, 0, "parquet", $"cannot be read ({e.Message})");
        }
    }
}
