using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Evals.Metrics;

/// <summary>
/// One step of an answer-extraction pipeline, as lm-eval's <c>filter_list</c> functions:
/// <c>regex</c> (its <c>RegexFilter</c>: <c>findall</c>, take match <see cref="GroupSelect"/> (negative counts from the
/// end), of a tuple of groups the first non-empty one, stripped; <see cref="Fallback"/> when nothing matches),
/// <c>take_first</c> (one answer per item here, so nothing to do), <c>lowercase</c>, <c>uppercase</c>,
/// <c>remove_whitespace</c> (leading white space), and Levain's <c>first_choice_letter</c> (the first letter in
/// parentheses "(B)", else the letter after "answer is" / "Answer:", else a capital letter standing alone at the start) and <c>last_number</c> (the last integer or decimal, commas and a
/// leading $ dropped).
/// </summary>
public sealed record AnswerFilter(string Function, string? Pattern = null, int GroupSelect = 0, string Fallback = "[invalid]")
{
    public static IReadOnlySet<string> Functions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "regex", "take_first", "lowercase", "uppercase", "remove_whitespace", "first_choice_letter", "last_number",
    };

    private static readonly Regex[] ChoiceLetter =
    [
        new(@"\(([A-Z])\)", RegexOptions.None, TimeSpan.FromSeconds(1)),
        new(@"[Aa]nswer(?:\s+is)?\s*[:\-]?\s*\(?([A-Z])(?![A-Za-z])", RegexOptions.None, TimeSpan.FromSeconds(1)),
        new(@"^\s*([A-Z])(?![A-Za-z])", RegexOptions.None, TimeSpan.FromSeconds(1)),
    ];
    private static readonly Regex Number = new(@"-?\$?\d[\d,]*(?:\.\d+)?", RegexOptions.None, TimeSpan.FromSeconds(1));

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (Function)
        {
            case "regex":
                var matches = Regex.Matches(text, Pattern ?? throw new InvalidOperationException("a regex filter needs a pattern"), RegexOptions.None, TimeSpan.FromSeconds(1));
                if (matches.Count == 0)
                {
                    return Fallback;
                }
                var index = GroupSelect < 0 ? matches.Count + GroupSelect : GroupSelect;
                if (index < 0 || index >= matches.Count)
                {
                    return Fallback; // Python would raise IndexError; an answer that cannot be read is an invalid answer
                }
                var match = matches[index];
                if (match.Groups.Count <= 1)
                {
                    return match.Value.Trim();
                }
                if (match.Groups.Count == 2)
                {
                    return match.Groups[1].Value.Trim();
                }
                var first = match.Groups.Cast<Group>().Skip(1).FirstOrDefault(g => g.Success && g.Value.Length > 0);
                return first is null ? Fallback : first.Value.Trim();
            case "take_first":
                return text;
            case "lowercase":
                return text.ToLowerInvariant();
            case "uppercase":
                return text.ToUpperInvariant();
            case "remove_whitespace":
                return text.TrimStart();
            case "first_choice_letter":
                foreach (var pattern in ChoiceLetter)
                {
                    var letter = pattern.Match(text);
                    if (letter.Success)
                    {
                        return letter.Groups[1].Value;
                    }
                }
                return Fallback;
            case "last_number":
                var numbers = Number.Matches(text);
                return numbers.Count == 0 ? Fallback : numbers[^1].Value.Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"unknown filter '{Function}'"));
        }
    }
}
