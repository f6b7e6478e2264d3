using System.Security.Cryptography;
using System.Text;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Corpus;
using Levain.Synthetic.Code.Items;
using Levain.Synthetic.LongContext;
using Levain.Synthetic.Randomness;

namespace Levain.Synthetic.Tests.Randomness;

/// <summary>
/// The generator is xoshiro256** seeded by SplitMix64, checked against an independent implementation of the published
/// algorithms; and what the generators make is pinned by hash, so a runtime upgrade (or an accidental change) that
/// alters any generated benchmark or training document fails here first.
/// </summary>
public sealed class SyntheticRandomTests
{
    // First five outputs, from a separate Python implementation of SplitMix64 seeding + xoshiro256**.
    [Theory]
    [InlineData(0L, new[] { 0x99EC5F36CB75F2B4UL, 0xBF6E1F784956452AUL, 0x1A5F849D4933E6E0UL, 0x6AA594F1262D2D2CUL, 0xBBA5AD4A1F842E59UL })]
    [InlineData(42L, new[] { 0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL, 0xAE17533239E499A1UL, 0xECB8AD4703B360A1UL, 0xFDE6DC7FE2EC5E64UL })]
    [InlineData(-7L, new[] { 0xF305399B3B63F2C2UL, 0xD693DD0A37AE5BDCUL, 0x736E8338A3F226B9UL, 0x6A0DA5410C1BDFA1UL, 0x7349D5FDF5FB9FCFUL })]
    public void NextUInt64_MatchesTheReferenceSequence(long seed, ulong[] expected)
    {
        var random = new SyntheticRandom(seed);
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(_ => random.NextUInt64()));
    }

    [Fact]
    public void Ranges_StayInBoundsAndCoverThemEvenly()
    {
        var random = new SyntheticRandom(1);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++) counts[random.Next(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.Next(-3, 4), -3, 3);
            Assert.InRange(random.NextDouble(), 0.0, 0.9999999999999999);
            Assert.InRange(random.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue - 1);
        }
        Assert.Equal(5, random.Next(5, 5));
        Assert.Equal(0, random.Next(1));
    }

    [Fact]
    public void Shuffle_UsesTheOwnedGenerator()
    {
        int[] a = [1, 2, 3, 4, 5, 6, 7, 8], b = [1, 2, 3, 4, 5, 6, 7, 8];
        new SyntheticRandom(9).Shuffle(a);
        new SyntheticRandom(9).Shuffle(b);
        Assert.Equal(a, b);
        Assert.NotEqual([1, 2, 3, 4, 5, 6, 7, 8], a);
    }

    // Pinned: change these only on purpose, and say in the commit that generated benchmarks changed.
    private const string CodeItemsHash = "0e9b3be050745af4a072f9600f2b448bbec5ebe5ac45c637d7fc97e60e05acb2";
    private const string TrainingDocumentsHash = "918c783f8996ac625fef744aa8eb6547d1fa79010f535b5d21101580d801eb79";
    private const string LongContextHash = "f0803dbd2f1ab85a23f9c72e502b510a682894807775ba7a1d248bdeb39bf775";

    [Fact]
    public void CodeItems_HashIsPinned()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, SeedRanges.HeldOut.Start, 40);
        var h1 = Hash(items.Select(i => $"{i.Id}|{i.Context}|{string.Join("|", i.Choices)}|{i.Gold}")); Assert.True(h1 == CodeItemsHash, h1);
    }

    [Fact]
    public void TrainingDocuments_HashIsPinned()
    {
        var h2 = Hash(TrainingCorpus.Documents(TrainingCorpusOptions.Easy).Take(200)); Assert.True(h2 == TrainingDocumentsHash, h2);
    }

    [Fact]
    public void LongContextItems_HashIsPinned()
    {
        var items = LongContextGenerator.Generate(new LongContextOptions { Task = LongContextTask.VariableTracking, LengthInChars = 2000 }, 7, 3);
        var h3 = Hash(items.Select(i => $"{i.Id}|{i.Context}|{string.Join("|", i.Choices)}|{i.Gold}")); Assert.True(h3 == LongContextHash, h3);
    }

    private static string Hash(IEnumerable<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0000", parts))));
}
