using System.Text;
using System.Text.RegularExpressions;

namespace Levain.Evals.Metrics;

/// <summary>
/// <c>exact_match</c> for generation: 1 when the output equals any gold string under <see cref="ExactMatchOptions"/>.
/// Levain's normalisation (<see cref="Normalize"/>), in order: lower-case (invariant); collapse every run of white
/// space to one space; strip leading and trailing white space and punctuation. Nothing else (articles, number formats,
/// Unicode composition — Levain runs with invariant globalization, so no NFKC) is touched.
/// </summary>
public static class ExactMatch
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

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

    /// <summary>Applies the options' steps to one string (what both the answer and each gold go through).</summary>
    public static string Prepare(string text, ExactMatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var pattern in options.RegexesToIgnore ?? [])
        {
            text = Regex.Replace(text, pattern, "", RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        if (options.IgnoreCase)
        {
            text = text.ToLowerInvariant();
        }
        if (options.IgnorePunctuation)
        {
            text = string.Concat(text.Where(c => !AsciiPunctuation.Contains(c, StringComparison.Ordinal)));
        }
        if (options.IgnoreNumbers)
        {
            text = string.Concat(text.Where(c => !char.IsAsciiDigit(c)));
        }
        return options.IsNormalized ? Normalize(text) : text;
    }

    public static double Score(string generated, IReadOnlyList<string> gold) => Score(generated, gold, ExactMatchOptions.Levain);

    public static double Score(string generated, IReadOnlyList<string> gold, ExactMatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var output = Prepare(generated, options);
        return gold.Any(g => string.Equals(Prepare(g, options), output, StringComparison.Ordinal)) ? 1 : 0;
    }
}
