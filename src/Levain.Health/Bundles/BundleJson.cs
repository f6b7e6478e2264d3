using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levain.Health.Bundles;

/// <summary>JSON settings for manifests (camelCase, kebab-case enum names).</summary>
internal static class BundleJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
