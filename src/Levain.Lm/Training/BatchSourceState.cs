using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Lm.Training;

/// <summary>Reads the small JSON states of the built-in batch sources; a state of another source or shape is an <see cref="InvalidDataException"/>.</summary>
internal static class BatchSourceState
{
    public static JsonObject Parse(string state, string expectedKind)
    {
        ArgumentNullException.ThrowIfNull(state);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(state) as JsonObject ?? throw new InvalidDataException("batch position: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"batch position: not valid JSON ({e.Message})", e);
        }
        string? kind = json["kind"] is JsonValue v && v.TryGetValue(out string? k) ? k : null;
        if (kind != expectedKind)
        {
            throw new InvalidDataException($"batch position: field 'kind' is '{kind}', but this run reads batches as '{expectedKind}'");
        }
        return json;
    }

    public static T Field<T>(JsonObject json, string field)
    {
        try
        {
            if (json[field] is JsonValue value && value.TryGetValue(out T? result) && result is not null)
            {
                return result;
            }
        }
        catch (FormatException)
        {
        }
        throw new InvalidDataException($"batch position: field '{field}' is missing or has the wrong type");
    }
}
