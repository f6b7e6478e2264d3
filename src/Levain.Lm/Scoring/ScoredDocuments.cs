using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Lm.Scoring;

/// <summary>
/// Reads documents to score and scores them: a <c>.jsonl</c> file holds one document per line (its <c>text</c> field;
/// the id is <c>FILE:LINE</c> or the line's <c>id</c>); any other file is one UTF-8 document. Bad input — a missing,
/// empty, binary or non-UTF-8 file, a JSONL line that is not an object with a string <c>text</c> — is an
/// <see cref="InvalidDataException"/> naming the file (and line).
/// </summary>
public static class ScoredDocuments
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<(string Id, string Text)> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty");
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int line = 1 + bytes.AsSpan(0, Math.Max(0, e.Index)).Count((byte)'\n');
            throw new InvalidDataException($"{path}: line {line}: not valid UTF-8 (byte offset {e.Index})", e);
        }
        int nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw new InvalidDataException($"{path}: line {1 + text.AsSpan(0, nul).Count('\n')}: binary data (a NUL byte); expected text");
        }
        text = text.TrimStart('\uFEFF');
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return [(path, text)];
        }
        var documents = new List<(string, string)>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            JsonObject? json;
            try
            {
                json = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: line {i + 1}: not valid JSON ({e.Message})", e);
            }
            if (json?["text"] is not JsonValue value || !value.TryGetValue(out string? document))
            {
                throw new InvalidDataException($"{path}: line {i + 1}: field 'text': expected a JSON object with a string 'text'");
            }
            string id = json["id"] is JsonValue idValue ? idValue.ToString() : $"{path}:{i + 1}";
            documents.Add((id, document));
        }
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"{path}: no documents (every line is blank)");
        }
        return documents;
    }

    /// <summary>Scores each document with rolling windows (see <see cref="DocumentScore"/>).</summary>
    public static IReadOnlyList<DocumentScore> Score(CheckpointScorer scorer, IReadOnlyList<(string Id, string Text)> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(documents);
        var scores = scorer.ScoreRollingAsync(documents.Select(d => d.Text).ToList(), cancellationToken).GetAwaiter().GetResult();
        return documents.Select((d, i) => new DocumentScore(d.Id, scores[i].TokenCount, scores[i].ByteCount, -scores[i].LogLikelihood)).ToList();
    }
}
