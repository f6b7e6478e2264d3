using Levain.Core;
using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Data;

/// <summary>
/// <c>manifest.json</c> of a prepared data directory: the tokenizer (its full description; its <c>id</c> is the content
/// hash the trainer checks), the token width, and per named source the train and validation shards with document and
/// token counts. Shards are raw little-endian arrays of uint16 (vocabulary ≤ 65,536) or uint32 token ids, every document
/// followed by end-of-text — the layout nanoGPT memory-maps with <c>np.memmap(path, dtype=np.uint16)</c>.
/// </summary>
public sealed record DataManifest
{
    public const string CurrentFormat = "levain-shards/1";
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;

    [JsonPropertyName("tokenizer")] public required TokenizerSpec Tokenizer { get; init; }

    [JsonPropertyName("dtype")] public required string DType { get; init; }

    [JsonPropertyName("validation_fraction")] public double ValidationFraction { get; init; }

    [JsonPropertyName("sources")] public required IReadOnlyList<DataSource> Sources { get; init; }

    [JsonIgnore] public int BytesPerToken => DType == "uint16" ? 2 : 4;

    public static string DTypeFor(int vocabularySize) => vocabularySize <= 65536 ? "uint16" : "uint32";

    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a manifest file or a directory holding one; problems are <see cref="InputException"/>s naming the file.</summary>
    public static (DataManifest Manifest, string Directory) Load(string path)
    {
        string file = System.IO.Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw LmInputError.Data(file, "data manifest not found (run 'levain data prepare' first)");
        }
        DataManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DataManifest>(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw LmInputError.Data(file, $"not a valid manifest ({e.Message.Split(". ")[0]})", (e.LineNumber ?? 0) + 1);
        }
        if (manifest is null || manifest.Format != CurrentFormat)
        {
            throw LmInputError.Data(file, $"format '{manifest?.Format}' is not '{CurrentFormat}'", field: "format");
        }
        if (manifest.DType is not ("uint16" or "uint32"))
        {
            throw LmInputError.Data(file, $"'{manifest.DType}' is not uint16 or uint32", field: "dtype");
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (DataSource source in manifest.Sources)
        {
            foreach (DataShard shard in source.Train.Shards.Concat(source.Validation.Shards))
            {
                string shardPath = Path.Combine(directory, shard.File);
                long expected = shard.Tokens * manifest.BytesPerToken;
                if (!File.Exists(shardPath) || new FileInfo(shardPath).Length != expected)
                {
                    throw LmInputError.Data(shardPath, File.Exists(shardPath)
                        ? $"{new FileInfo(shardPath).Length} bytes where the manifest says {shard.Tokens} tokens ({expected} bytes)"
                        : "shard listed in the manifest is missing");
                }
            }
        }
        return (manifest, directory);
    }
}

/// <summary>One named source of a <see cref="DataManifest"/>.</summary>
public sealed record DataSource(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("inputs")] IReadOnlyList<string> Inputs,
    [property: JsonPropertyName("train")] DataSplit Train,
    [property: JsonPropertyName("validation")] DataSplit Validation);

/// <summary>The shards of one split of a source.</summary>
public sealed record DataSplit(
    [property: JsonPropertyName("documents")] long Documents,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("shards")] IReadOnlyList<DataShard> Shards);

/// <summary>A shard file (relative to the manifest) with its token and document counts.</summary>
public sealed record DataShard(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("documents")] long Documents);
