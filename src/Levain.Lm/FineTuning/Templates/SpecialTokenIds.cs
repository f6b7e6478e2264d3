using Levain.Lm.Tokenization;

namespace Levain.Lm.FineTuning.Templates;

/// <summary>
/// The one place that asks a tokenizer for the id of a special token (a marker encoded as a single token). Today's
/// tokenizers know one special token each, end-of-text (<c>&lt;|endoftext|&gt;</c>); a tokenizer with its own special
/// tokens answers here.
/// </summary>
public static class SpecialTokenIds
{
    public const string EndOfText = "<|endoftext|>";

    public static int? Find(ITextTokenizer tokenizer, string token)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(token);
        return token == EndOfText ? tokenizer.EndOfTextId : null;
    }
}
