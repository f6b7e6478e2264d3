using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levain.Health.Bundles;

/// <summary>
/// JSON settings for manifests: snake_case keys (format version 2, what Levain writes) and the camelCase keys of the
/// first format (still read); enum values are kebab-case (<c>timed-out</c>) in both.
/// </summary>
internal static class BundleJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The first, camelCase manifest format (read only).</summary>
    public static readonly JsonSerializerOptions LegacyOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
