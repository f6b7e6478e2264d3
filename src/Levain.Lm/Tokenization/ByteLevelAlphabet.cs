namespace Levain.Lm.Tokenization;

/// <summary>
/// The byte-to-character table of byte-level BPE as GPT-2 and Hugging Face's <c>ByteLevel</c> pre-tokenizer define it:
/// printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves and the other 68 bytes map, in byte
/// order, to U+0100 upwards (so a space is 'Ġ' and a newline 'Ċ'). Vocabulary strings in <c>tokenizer.json</c> are
/// written in this alphabet.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] CharByByte = BuildTable();
    private static readonly Dictionary<char, byte> ByteByChar = Enumerable.Range(0, 256).ToDictionary(b => CharByByte[b], b => (byte)b);

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = CharByByte[bytes[i]];
        }
        return new string(chars);
    }

    /// <summary>The bytes a vocabulary string stands for; null when it has a character outside the alphabet.</summary>
    public static byte[]? TryDecode(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!ByteByChar.TryGetValue(text[i], out bytes[i]))
            {
                return null;
            }
        }
        return bytes;
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool isPrintable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = isPrintable ? (char)b : (char)next++;
        }
        return table;
    }
}
