using System.Text.Json;
using System.Text.RegularExpressions;

namespace Levain.Runner.Protocol;

/// <summary>
/// The two stdout lines of the trial protocol: <c>levain-result {...}</c> (the trial's result, a JSON object) and
/// <c>levain-progress {...}</c> (anything the trial wants shown while it runs, a JSON object).
/// </summary>
public static partial class ProtocolLine
{
    public const string ResultPrefix = "levain-result ";
    public const string ProgressPrefix = "levain-progress ";

    /// <summary>The JSON object of a <c>levain-result</c> line, or null if the line is not one (or not an object).</summary>
    public static string? TryResult(string line) => TryObject(line, ResultPrefix);

    /// <summary>The JSON object of a <c>levain-progress</c> line, or null.</summary>
    public static string? TryProgress(string line) => TryObject(line, ProgressPrefix);

    /// <summary>True if <paramref name="json"/> is a JSON object.</summary>
    public static bool IsObject(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes Python-style non-finite numbers (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>, which json.dumps writes
    /// by default) valid JSON by quoting them; the interpreter reads them back as numbers.
    /// </summary>
    public static string Normalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return NonFinitePattern().Replace(json, "$1\"$2\"");
    }

    [GeneratedRegex(@"([:\[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])")]
    private static partial Regex NonFinitePattern();

    private static string? TryObject(string line, string prefix)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.TrimEnd('\r');
        if (!trimmed.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var json = Normalize(trimmed[prefix.Length..].Trim());
        return IsObject(json) ? json : null;
    }
}
