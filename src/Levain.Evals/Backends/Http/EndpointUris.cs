using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Levain.Evals.Backends.Http;

/// <summary>Endpoint addresses and model fingerprints shared by the completions and chat-completions backends.</summary>
public static class EndpointUris
{
    /// <summary>
    /// The URL of <paramref name="route"/> (<c>completions</c> or <c>chat/completions</c>) from a server root, a
    /// <c>/v1</c> base, or the full route URL.
    /// </summary>
    public static Uri Resolve(string endpoint, string route)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        var text = endpoint.TrimEnd('/');
        if (!text.EndsWith("/" + route, StringComparison.Ordinal))
        {
            text += text.EndsWith("/v1", StringComparison.Ordinal) ? "/" + route : "/v1/" + route;
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"'{endpoint}' is not an http(s) URL", nameof(endpoint));
    }

    /// <summary>
    /// Twelve hex digits of SHA-256 over <paramref name="header"/> and each token's text and log-probability rounded to
    /// 0.01 (so the last digits of GPU arithmetic do not change it; swapped weights do).
    /// </summary>
    public static string Fingerprint(string header, IEnumerable<TokenScore> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var identity = new StringBuilder(header);
        foreach (var token in tokens)
        {
            identity.Append('\n').Append(token.Text).Append('\t').Append(Math.Round(token.LogProb, 2).ToString("0.00", CultureInfo.InvariantCulture));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..12];
    }
}
