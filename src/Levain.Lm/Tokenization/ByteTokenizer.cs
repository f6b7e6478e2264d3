using System.Text;

namespace Levain.Lm.Tokenization;

/// <summary>UTF-8 bytes as tokens: ids 0–255 are bytes, 256 is end-of-text. No vocabulary file, no unknown tokens.</summary>
public sealed class ByteTokenizer : ITextTokenizer
{
    public const string TokenizerId = "bytes";
    public const int EndOfText = 256;

    public static ByteTokenizer Instance { get; } = new();

    public string Id => TokenizerId;

    public int VocabularySize => 257;

    public int EndOfTextId => EndOfText;

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var ids = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            ids[i] = bytes[i];
        }
        return ids;
    }

    /// <summary>Decodes byte ids as UTF-8 (invalid sequences become U+FFFD); end-of-text ids are dropped.</summary>
    public string Decode(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var bytes = new List<byte>();
        foreach (int id in tokenIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(id, EndOfText);
            if (id != EndOfText)
            {
                bytes.Add((byte)id);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public TokenizerSpec ToSpec() => new("bytes", TokenizerId);
}
