namespace Levain.Lm.Tokenization;

/// <summary>Settings of <see cref="BpeTrainer"/>.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Total vocabulary: 256 byte tokens + merges + special tokens.</summary>
    public int VocabularySize { get; init; } = 8192;

    /// <summary>A pair is merged only while it occurs at least this many times (weighted by word counts).</summary>
    public long MinFrequency { get; init; } = 2;

    /// <summary>Pre-tokenizer: "gpt2", "cl100k" or a regular expression.</summary>
    public string Pattern { get; init; } = "gpt2";

    /// <summary>Special tokens, ids after the regular tokens in this order; must include <see cref="EndOfText"/>.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [BpeTokenizer.DefaultEndOfText];

    public string EndOfText { get; init; } = BpeTokenizer.DefaultEndOfText;

    /// <summary>Worker threads for counting pre-tokenized words (merging itself is sequential).</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VocabularySize, 256 + SpecialTokens.Count, nameof(VocabularySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinFrequency, 1, nameof(MinFrequency));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        if (!SpecialTokens.Contains(EndOfText, StringComparer.Ordinal))
        {
            throw new ArgumentException($"the end-of-text token '{EndOfText}' must be one of the special tokens", nameof(SpecialTokens));
        }
    }
}
