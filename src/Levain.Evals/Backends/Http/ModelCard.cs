using System.Text.Json.Nodes;

namespace Levain.Evals.Backends.Http;

/// <summary>
/// What <c>/v1/models</c> says about a served model: its id, vLLM's <c>max_model_len</c> and <c>root</c>, and
/// <c>levain serve</c>'s model and tokenizer ids.
/// </summary>
public sealed record ModelCard(string Id, int? MaxModelLength, string? Root, string? LevainModelId, string? LevainTokenizerId)
{
    /// <summary>The card of <paramref name="model"/> (or the first model); null when the server has no /v1/models.</summary>
    public static async Task<ModelCard?> FetchAsync(EndpointClient client, Uri modelsUri, string? model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        JsonObject models;
        try
        {
            models = await client.GetAsync(modelsUri, cancellationToken).ConfigureAwait(false);
        }
        catch (EndpointProtocolException e) when (e.Kind is EndpointErrorKind.NotFound or EndpointErrorKind.BadRequest or EndpointErrorKind.InvalidResponse)
        {
            return null;
        }
        var entries = models["data"] as JsonArray;
        var entry = entries?.OfType<JsonObject>().FirstOrDefault(m => model is null || (string?)m["id"] == model);
        if (entry is null)
        {
            if (model is not null && entries is { Count: > 0 })
            {
                var names = string.Join(", ", entries.OfType<JsonObject>().Select(m => (string?)m["id"]));
                throw new EndpointProtocolException($"{modelsUri} does not serve a model '{model}' (it serves: {names})", EndpointErrorKind.NotFound);
            }
            return null;
        }
        return new ModelCard(
            (string?)entry["id"] ?? model ?? "default",
            entry["max_model_len"] is JsonValue length && length.TryGetValue<int>(out var n) ? n : null,
            (string?)entry["root"],
            (string?)entry["levain_model_id"],
            (string?)entry["levain_tokenizer_id"]);
    }
}
