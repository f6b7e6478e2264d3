using System.Text;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.Tokenization;

public sealed class BpeTokenizerTests
{
    private const string Mixed = "Съешь же ещё этих мягких французских булок, да выпей чаю. The quick brown fox jumps over the lazy dog. " +
        "Жута лисица — yellow fox; 東京 🙂 naïve café 12345\n\n\tend";

    private static readonly Lazy<BpeTokenizer> Trained = new(() => BpeTrainer.Train(
        Enumerable.Repeat(Mixed, 5), new BpeTrainerOptions { VocabularySize = 400, MinFrequency = 1, SpecialTokens = ["<|endoftext|>", "<|user|>"] }));

    [Fact]
    public void EncodeBytes_RandomBytes_RoundTripExactly()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 20; trial++)
        {
            var bytes = new byte[random.Next(0, 3000)];
            random.NextBytes(bytes);
            IReadOnlyList<int> ids = Trained.Value.EncodeBytes(bytes);
            Assert.All(ids, id => Assert.InRange(id, 0, Trained.Value.RegularCount - 1));
            Assert.Equal(bytes, Trained.Value.DecodeBytes(ids));
        }
    }

    [Fact]
    public void Encode_RandomUnicodeText_RoundTrips()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var text = new StringBuilder();
            for (int i = 0; i < 200; i++)
            {
                int scalar = random.Next(4) switch { 0 => random.Next(0x20, 0x7F), 1 => random.Next(0x400, 0x500), 2 => random.Next(0x4E00, 0x9FFF), _ => random.Next(0x1F300, 0x1FAFF) };
                text.Append(char.ConvertFromUtf32(scalar));
            }
            string s = text.ToString();
            Assert.Equal(s, Trained.Value.Decode(Trained.Value.Encode(s)));
        }
    }

    [Fact]
    public void Encode_MixedScripts_RoundTripsAndCompresses()
    {
        IReadOnlyList<int> ids = Trained.Value.Encode(Mixed);
        Assert.Equal(Mixed, Trained.Value.Decode(ids));
        Assert.True(ids.Count < Encoding.UTF8.GetByteCount(Mixed) / 3, $"{ids.Count} tokens for seen text");
        // An unseen script falls back to bytes: one id per byte, still lossless.
        const string Unseen = "ᚠᚢᚦᚨᚱᚲ";
        Assert.Equal(Encoding.UTF8.GetByteCount(Unseen), Trained.Value.Encode(Unseen).Count);
        Assert.Equal(Unseen, Trained.Value.Decode(Trained.Value.Encode(Unseen)));
    }

    [Fact]
    public void Encode_SpecialTokenText_IsItsIdAndDecodesBack()
    {
        BpeTokenizer tokenizer = Trained.Value;
        IReadOnlyList<int> ids = tokenizer.Encode("hi<|user|>there<|endoftext|>");
        Assert.Contains(tokenizer.SpecialId("<|user|>")!.Value, ids);
        Assert.Equal(tokenizer.EndOfTextId, ids[^1]);
        Assert.Equal("hi<|user|>there<|endoftext|>", tokenizer.Decode(ids));
    }

    [Fact]
    public void FromSpec_RebuildsSameTokenizer_AndDetectsTampering()
    {
        TokenizerSpec spec = Trained.Value.ToSpec();
        ITextTokenizer rebuilt = TokenizerFactory.FromSpec(spec);
        Assert.Equal(Trained.Value.Id, rebuilt.Id);
        Assert.Equal(Trained.Value.Encode(Mixed), rebuilt.Encode(Mixed));
        var tampered = spec with { Id = "bpe:0000000000000000" };
        Assert.Throws<ArgumentException>(() => TokenizerFactory.FromSpec(tampered));
    }

    [Fact]
    public void Constructor_MissingByte_Throws()
    {
        var tokens = Enumerable.Range(0, 255).Select(b => new[] { (byte)b }).ToList();
        var e = Assert.Throws<ArgumentException>(() => new BpeTokenizer(tokens, ["<|endoftext|>"], "gpt2"));
        Assert.Contains("0xFF", e.Message, StringComparison.Ordinal);
    }
}
