using System.Text.Json.Serialization;

namespace Levain.Lm.FineTuning.Data;

/// <summary>One turn of a chat example: <c>role</c> is system, user or assistant.</summary>
public sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
