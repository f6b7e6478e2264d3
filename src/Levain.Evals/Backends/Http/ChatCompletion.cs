using System.Text;
using System.Text.Json.Nodes;

namespace Levain.Evals.Backends.Http;

/// <summary>
/// The first choice of an OpenAI-compatible <c>/v1/chat/completions</c> answer, in the shape vLLM (and OpenAI) send:
/// <c>choices[].message.content</c> (null when the model produced no text), <c>choices[].finish_reason</c>, and, when
/// <c>logprobs: true</c> was asked, <c>choices[].logprobs.content[]</c> with one entry per generated token:
/// <c>token</c>, <c>logprob</c> (vLLM clamps −∞ to −9999.0), <c>bytes</c> (the token's UTF-8 bytes, null when it has
/// none) and <c>top_logprobs</c> (up to k entries of the same shape; vLLM lists the sampled token first).
/// <see cref="Tokens"/> carries a greedy flag per token, lm-eval style: the token's log-probability is the maximum of
/// its <c>top_logprobs</c> entry (ties count); a token without alternatives is not known to be greedy.
/// </summary>
public sealed record ChatCompletion(string Content, string? FinishReason, IReadOnlyList<TokenScore> Tokens, bool HasLogprobs)
{
    /// <summary>vLLM's stand-in for a log-probability of −∞ (JSON has no infinity).</summary>
    public const double VllmNegativeInfinity = -9999.0;

    /// <summary>Summed log-probability of the generated tokens (−∞ stays −9999 per token, as sent).</summary>
    public double LogProbability => Tokens.Sum(t => t.LogProb);

    /// <exception cref="EndpointProtocolException">The answer lacks the fields the protocol promises.</exception>
    public static ChatCompletion Parse(JsonObject answer, Uri from)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(from);
        var choice = (answer["choices"] as JsonArray)?.OfType<JsonObject>().OrderBy(c => (int?)c["index"] ?? 0).FirstOrDefault()
            ?? throw new EndpointProtocolException($"{from} returned no 'choices'");
        var message = choice["message"] as JsonObject
            ?? throw new EndpointProtocolException($"{from} returned no choices[0].message (is this a /v1/chat/completions endpoint?)");
        var content = message["content"] switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw new EndpointProtocolException($"{from} returned a choices[0].message.content that is not a string"),
        };
        var finish = choice["finish_reason"] is JsonValue f && f.TryGetValue<string>(out var reason) ? reason : null;
        if (choice["logprobs"] is not JsonObject logprobs || logprobs["content"] is not JsonArray entries)
        {
            return new ChatCompletion(content, finish, [], false);
        }
        var tokens = new TokenScore[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] as JsonObject ?? throw new EndpointProtocolException($"{from} returned a logprobs.content[{i}] that is not an object");
            var (text, logProb) = TokenOf(entry, $"logprobs.content[{i}]", from);
            var isGreedy = false;
            if (entry["top_logprobs"] is JsonArray top && top.Count > 0)
            {
                var best = top.Select((t, j) => TokenOf(t as JsonObject
                    ?? throw new EndpointProtocolException($"{from} returned a logprobs.content[{i}].top_logprobs[{j}] that is not an object"),
                    $"logprobs.content[{i}].top_logprobs[{j}]", from).LogProb).Max();
                isGreedy = logProb >= best;
            }
            tokens[i] = new TokenScore(-1, text, logProb, isGreedy);
        }
        return new ChatCompletion(content, finish, tokens, true);
    }

    /// <summary>A token's text (from <c>bytes</c> when given, else <c>token</c>) and its finite log-probability.</summary>
    private static (string Text, double LogProb) TokenOf(JsonObject entry, string field, Uri from)
    {
        var token = entry["token"] is JsonValue t && t.TryGetValue<string>(out var s)
            ? s
            : throw new EndpointProtocolException($"{from} returned no {field}.token");
        var logProb = entry["logprob"] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) && d <= 1e-6
            ? Math.Min(d, 0)
            : throw new EndpointProtocolException($"{from} returned {field}.logprob '{entry["logprob"]?.ToJsonString() ?? "null"}', not a finite log-probability ≤ 0");
        if (entry["bytes"] is JsonArray bytes)
        {
            try
            {
                var raw = bytes.Select(b => (byte)(int)b!).ToArray();
                token = new UTF8Encoding(false, true).GetString(raw);
            }
            catch (Exception e) when (e is DecoderFallbackException or InvalidOperationException or FormatException or OverflowException or NullReferenceException)
            {
                // A token that is part of a character (byte-level BPE): keep the server's token string.
            }
        }
        return (token, logProb);
    }
}
