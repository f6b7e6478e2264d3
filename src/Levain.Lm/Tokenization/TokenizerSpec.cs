using System.Text.Json.Serialization;

namespace Levain.Lm.Tokenization;

/// <summary>
/// What a checkpoint stores about its tokenizer: <c>kind</c> is "bytes", "tiktoken" or "bpe". A tiktoken tokenizer
/// names its encoding and lists the base ids it kept (its compact vocabulary, in id order after the reserved ids); a
/// bpe tokenizer carries its whole vocabulary (token bytes as base64, by id), pattern and special tokens, so a
/// checkpoint needs no other file.
/// </summary>
public sealed record TokenizerSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("encoding")] string? Encoding = null,
    [property: JsonPropertyName("base_ids")] IReadOnlyList<int>? BaseIds = null)
{
    /// <summary>tiktoken: ids 0–255 are bytes for base tokens the compact vocabulary lacks (absent in older checkpoints: one unknown id).</summary>
    [JsonPropertyName("byte_fallback")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ByteFallback { get; init; }

    [JsonPropertyName("pattern")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pattern { get; init; }

    [JsonPropertyName("tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tokens { get; init; }

    [JsonPropertyName("special_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? SpecialTokens { get; init; }

    [JsonPropertyName("end_of_text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndOfText { get; init; }
}
