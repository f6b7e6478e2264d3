namespace Levain.Lm.Tokenization;

/// <summary>Text ↔ token ids for a model. Ids live in [0, <see cref="VocabularySize"/>).</summary>
public interface ITextTokenizer
{
    /// <summary>A stable identity: equal ids mean equal encodings (e.g. "bytes", "cl100k_base+compact:1a2b…").</summary>
    string Id { get; }

    int VocabularySize { get; }

    /// <summary>The id that separates documents in training and stands in for an empty context when scoring.</summary>
    int EndOfTextId { get; }

    IReadOnlyList<int> Encode(string text);

    string Decode(IEnumerable<int> tokenIds);

    /// <summary>The serializable description a checkpoint stores to rebuild this tokenizer.</summary>
    TokenizerSpec ToSpec();
}
