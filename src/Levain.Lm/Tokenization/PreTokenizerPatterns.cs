using System.Text.RegularExpressions;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Regular expressions that split text into pieces before BPE (merges never cross a piece boundary). Each named pattern
/// has the text written to <c>tokenizer.json</c> (Oniguruma syntax, as GPT-2 and tiktoken publish it) and a .NET
/// equivalent (possessive quantifiers become atomic groups). A custom pattern is used verbatim for both.
/// </summary>
public static class PreTokenizerPatterns
{
    /// <summary>GPT-2's pattern: contractions, optional space + letters, optional space + digits, optional space + other, whitespace.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>cl100k_base's pattern (case-insensitive contractions, digits in groups of at most three).</summary>
    public const string Cl100k = @"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    private const string Cl100kDotNet = @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    public static IReadOnlyList<string> Names { get; } = ["gpt2", "cl100k"];

    /// <summary>The pattern text for a name ("gpt2", "cl100k"), or the argument itself when it is not a name.</summary>
    public static string Resolve(string nameOrPattern) => nameOrPattern switch
    {
        "gpt2" => Gpt2,
        "cl100k" => Cl100k,
        _ => nameOrPattern,
    };

    /// <summary>The compiled .NET regex for a pattern text; throws <see cref="ArgumentException"/> when it does not parse.</summary>
    public static Regex Compile(string pattern) => new(pattern == Cl100k ? Cl100kDotNet : pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
