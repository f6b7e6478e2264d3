using System.Text;

namespace Levain.Evals.Contamination;

/// <summary>
/// The contamination normalisation (docs/evals.md, "Contamination"): lower-case (invariant), drop punctuation characters
/// (Unicode category P*), split on whitespace. Each token is hashed with 64-bit FNV-1a over its UTF-8 bytes.
/// </summary>
public static class NGramTokenizer
{
    public static IEnumerable<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var token = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (token.Length > 0)
                {
                    yield return token.ToString();
                    token.Clear();
                }
            }
            else if (!char.IsPunctuation(c))
            {
                token.Append(char.ToLowerInvariant(c));
            }
        }
        if (token.Length > 0)
        {
            yield return token.ToString();
        }
    }

    public static ulong HashToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The hash of every window of <paramref name="n"/> consecutive tokens (a polynomial over the token hashes).</summary>
    public static IEnumerable<ulong> NGramHashes(IEnumerable<string> tokens, int n)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var window = new Queue<ulong>(n);
        foreach (var token in tokens)
        {
            window.Enqueue(HashToken(token));
            if (window.Count > n)
            {
                window.Dequeue();
            }
            if (window.Count == n)
            {
                yield return Combine(window);
            }
        }
    }

    private static ulong Combine(IEnumerable<ulong> hashes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        var hash = 0xCBF29CE484222325UL;
        foreach (var h in hashes)
        {
            hash = ((hash ^ h) * Multiplier) + 0x632BE59BD9B4E019UL;
            hash ^= hash >> 29;
        }
        return hash;
    }
}
