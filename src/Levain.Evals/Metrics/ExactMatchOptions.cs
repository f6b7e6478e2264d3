namespace Levain.Evals.Metrics;

/// <summary>
/// How <c>exact_match</c> compares an answer with the gold strings. lm-eval's options (Hugging Face evaluate's
/// <c>exact_match</c>): <see cref="RegexesToIgnore"/> are removed from both first (in order), then
/// <see cref="IgnoreCase"/> lower-cases, <see cref="IgnorePunctuation"/> removes ASCII punctuation
/// (Python's <c>string.punctuation</c>), <see cref="IgnoreNumbers"/> removes ASCII digits; with none set the strings
/// must be equal. <see cref="IsNormalized"/> applies Levain's documented normalisation (<see cref="ExactMatch.Normalize"/>)
/// after those steps: the default for Levain's own task files, off for imported lm-eval tasks.
/// </summary>
public sealed record ExactMatchOptions(
    bool IgnoreCase = false,
    bool IgnorePunctuation = false,
    bool IgnoreNumbers = false,
    IReadOnlyList<string>? RegexesToIgnore = null,
    bool IsNormalized = false)
{
    /// <summary>Levain's default for its own task files: normalise only.</summary>
    public static ExactMatchOptions Levain { get; } = new(IsNormalized: true);

    /// <summary>lm-eval's default: plain string equality.</summary>
    public static ExactMatchOptions Exact { get; } = new();
}
