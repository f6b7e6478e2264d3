using CsCheck;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.Tokenization;

public sealed class ByteTokenizerTests
{
    [Fact]
    public void EncodeDecode_AnyString_RoundTrips()
    {
        Gen.String.Sample(text =>
        {
            string normalized = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text)); // lone surrogates → U+FFFD
            Assert.Equal(normalized, ByteTokenizer.Instance.Decode(ByteTokenizer.Instance.Encode(text)));
        });
    }

    [Fact]
    public void Encode_Utf8_OneIdPerByte()
    {
        Assert.Equal([104, 195, 169], ByteTokenizer.Instance.Encode("hé"));
        Assert.Equal(257, ByteTokenizer.Instance.VocabularySize);
    }

    [Fact]
    public void Decode_EndOfText_IsDropped()
    {
        Assert.Equal("ab", ByteTokenizer.Instance.Decode([97, ByteTokenizer.EndOfText, 98]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteTokenizer.Instance.Decode([257]));
    }
}
