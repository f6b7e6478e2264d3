using System.Text.Json.Serialization;

namespace Levain.Lm.Tokenization;

/// <summary>
/// What a checkpoint stores about its tokenizer: <c>kind</c> is "bytes" or "tiktoken"; a tiktoken tokenizer names its
/// encoding and lists the base ids it kept (its compact vocabulary, in id order after the two reserved ids).
/// </summary>
public sealed record TokenizerSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("encoding")] string? Encoding = null,
    [property: JsonPropertyName("base_ids")] IReadOnlyList<int>? BaseIds = null);
