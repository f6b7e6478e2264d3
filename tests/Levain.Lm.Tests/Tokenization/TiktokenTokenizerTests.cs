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
        Assert.All(ids, id => Assert.True(id > TiktokenTokenizer.EndOfText, "seen text needs no byte fallback"));
        Assert.True(ids.Count < Corpus.Length / 2, "BPE should merge bytes");
        Assert.Equal(ids.Distinct().Count() + 257, tokenizer.VocabularySize);
        Assert.StartsWith(encoding + "+compact+bytes:", tokenizer.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zebra")]
    [InlineData("Ехо непознатог текста: žuto zelo 🙂")]
    public void Encode_UnseenTokens_FallBackToBytesAndRoundTrip(string unseen)
    {
        var tokenizer = TiktokenTokenizer.Fit("cl100k_base", ["aaa"]);
        IReadOnlyList<int> ids = tokenizer.Encode(unseen);
        Assert.Contains(ids, id => id < TiktokenTokenizer.EndOfText);
        Assert.Equal(unseen, tokenizer.Decode(ids));
    }

    [Fact]
    public void FromSpec_CheckpointWithoutByteFallback_KeepsItsLayout()
    {
        // A checkpoint written before byte fallback: id 0 unknown, 1 end-of-text, 2.. kept base ids.
        var fitted = TiktokenTokenizer.Fit("cl100k_base", ["aaa"]);
        var legacy = new TokenizerSpec("tiktoken", "old", "cl100k_base", fitted.ToSpec().BaseIds);
        var tokenizer = TokenizerFactory.FromSpec(legacy);
        Assert.Equal(1, tokenizer.EndOfTextId);
        Assert.Equal(2 + fitted.ToSpec().BaseIds!.Count, tokenizer.VocabularySize);
        Assert.Equal("aaa\uFFFD", tokenizer.Decode([.. tokenizer.Encode("aaa"), 0]));
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
