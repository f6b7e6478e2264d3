using System.Text;

namespace Levain.Evals.Metrics;

/// <summary>
/// <c>exact_match</c> for generation: 1 when the normalised output equals any normalised gold string.
/// Normalisation, in order: lower-case (invariant); collapse every run of whitespace to one space; strip leading and
/// trailing whitespace and punctuation. Nothing else (articles, number formats, Unicode composition — Levain runs
/// with invariant globalization, so no NFKC) is touched.
/// </summary>
public static class ExactMatch
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lowered = text.ToLowerInvariant();
        var builder = new StringBuilder(lowered.Length);
        var isPendingSpace = false;
        foreach (var c in lowered)
        {
            if (char.IsWhiteSpace(c))
            {
                isPendingSpace = builder.Length > 0;
                continue;
            }
            if (isPendingSpace)
            {
                builder.Append(' ');
                isPendingSpace = false;
            }
            builder.Append(c);
        }
        var normalized = builder.ToString();
        var start = 0;
        var end = normalized.Length;
        while (start < end && (char.IsPunctuation(normalized[start]) || char.IsWhiteSpace(normalized[start])))
        {
            start++;
        }
        while (end > start && (char.IsPunctuation(normalized[end - 1]) || char.IsWhiteSpace(normalized[end - 1])))
        {
            end--;
        }
        return normalized[start..end];
    }

    public static double Score(string generated, IReadOnlyList<string> gold)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var output = Normalize(generated);
        return gold.Any(g => string.Equals(Normalize(g), output, StringComparison.Ordinal)) ? 1 : 0;
    }
}
