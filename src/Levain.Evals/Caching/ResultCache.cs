using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals.Backends;

namespace Levain.Evals.Caching;

/// <summary>
/// An append-only cache of backend answers, keyed by a SHA-256 of (model id, tokenizer id, request kind, request
/// text, parameters), so an interrupted run resumes where it stopped and repeated runs cost nothing. One JSON object
/// per line; every batch is flushed to disk before the next starts; a torn last line (a run killed mid-write) is
/// ignored. Log-probabilities are stored in round-trip form, so cached and fresh scores are bit-identical.
/// Not thread-safe: one evaluator writes at a time.
/// </summary>
public sealed class ResultCache : IDisposable
{
    private readonly Dictionary<string, JsonObject> _entries = new(StringComparer.Ordinal);
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;

    private ResultCache(string path)
    {
        Path = path;
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                try
                {
                    if (JsonNode.Parse(line) is JsonObject entry && (string?)entry["key"] is { } key)
                    {
                        _entries[key] = entry;
                    }
                }
                catch (JsonException)
                {
                    // A torn line from a killed run: the request is simply scored again.
                }
            }
        }
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(_stream, new UTF8Encoding(false)) { NewLine = "\n" };
        if (_stream.Length > 0)
        {
            // Start on a fresh line in case the last write was torn.
            _writer.WriteLine();
        }
    }

    public string Path { get; }

    public int Count => _entries.Count;

    /// <summary>Opens (or creates) the cache file <c>results.jsonl</c> in <paramref name="directory"/>.</summary>
    public static ResultCache Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        return new ResultCache(System.IO.Path.Combine(directory, "results.jsonl"));
    }

    public static string KeyOf(string modelId, string tokenizerId, string kind, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var canonical = new JsonArray([.. new[] { "levain-cache-v1", modelId, tokenizerId, kind }.Concat(parts).Select(p => (JsonNode)p)]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    public bool TryGetScore(string key, out ContinuationScore score)
    {
        score = null!;
        if (!_entries.TryGetValue(key, out var entry) || entry["tokens"] is not JsonArray tokens)
        {
            return false;
        }
        score = new ContinuationScore(
            [.. tokens.Select(t => new TokenScore((int)t!["id"]!, (string?)t["text"], (double)t["lp"]!, (bool)t["greedy"]!))],
            (int)entry["bytes"]!);
        return true;
    }

    public bool TryGetText(string key, out string text)
    {
        text = "";
        if (!_entries.TryGetValue(key, out var entry) || (string?)entry["text"] is not { } value)
        {
            return false;
        }
        text = value;
        return true;
    }

    public void AddScore(string key, ContinuationScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        Append(new JsonObject
        {
            ["key"] = key,
            ["bytes"] = score.ByteCount,
            ["tokens"] = new JsonArray([.. score.Tokens.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.TokenId,
                ["text"] = t.Text,
                ["lp"] = t.LogProb,
                ["greedy"] = t.IsGreedy,
            })]),
        });
    }

    public void AddText(string key, string text) => Append(new JsonObject { ["key"] = key, ["text"] = text });

    /// <summary>Writes buffered entries through to disk.</summary>
    public void Flush()
    {
        _writer.Flush();
        _stream.Flush(flushToDisk: true);
    }

    private void Append(JsonObject entry)
    {
        _entries[(string)entry["key"]!] = entry;
        _writer.WriteLine(entry.ToJsonString());
    }

    public void Dispose()
    {
        Flush();
        _writer.Dispose();
    }
}
