using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.Tokenization;

public sealed class TiktokenTokenizerTests
{
    private const string Corpus = "def add(a, b):\n    return a + b\n\nprint(add(2, 3))\n";

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void Fit_EncodeDecode_RoundTripsSeenText(string encoding)
    {
        var tokenizer = TiktokenTokenizer.Fit(encoding, [Corpus]);
        IReadOnlyList<int> ids = tokenizer.Encode(Corpus);
        Assert.Equal(Corpus, tokenizer.Decode(ids));
        Assert.DoesNotContain(TiktokenTokenizer.UnknownId, ids);
        Assert.True(ids.Count < Corpus.Length / 2, "BPE should merge bytes");
        Assert.Equal(ids.Distinct().Count() + 2, tokenizer.VocabularySize);
        Assert.StartsWith(encoding + "+compact:", tokenizer.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_UnseenToken_MapsToUnknown()
    {
        var tokenizer = TiktokenTokenizer.Fit("cl100k_base", ["aaa"]);
        Assert.Contains(TiktokenTokenizer.UnknownId, tokenizer.Encode("zebra"));
        Assert.Equal("\uFFFD", tokenizer.Decode([TiktokenTokenizer.UnknownId]));
    }

    [Fact]
    public void FromSpec_RebuildsSameTokenizer()
    {
        var tokenizer = TiktokenTokenizer.Fit("o200k_base", [Corpus]);
        var rebuilt = TokenizerFactory.FromSpec(tokenizer.ToSpec());
        Assert.Equal(tokenizer.Id, rebuilt.Id);
        Assert.Equal(tokenizer.Encode("print(add(1, 2))"), rebuilt.Encode("print(add(1, 2))"));
    }

    [Fact]
    public void Fit_DifferentCorpora_DifferentIds()
    {
        Assert.NotEqual(TiktokenTokenizer.Fit("cl100k_base", ["a b"]).Id, TiktokenTokenizer.Fit("cl100k_base", ["a c"]).Id);
    }

    [Fact]
    public void Fit_UnknownEncoding_Throws()
    {
        Assert.Throws<ArgumentException>(() => TiktokenTokenizer.Fit("gpt2", ["x"]));
    }
}
