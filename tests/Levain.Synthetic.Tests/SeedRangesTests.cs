namespace Levain.Synthetic.Tests;

public sealed class SeedRangesTests
{
    [Fact]
    public void TrainingAndHeldOut_AreDisjointAndNonEmpty()
    {
        Assert.False(SeedRanges.Training.Overlaps(SeedRanges.HeldOut));
        Assert.True(SeedRanges.Training.Count > 0 && SeedRanges.HeldOut.Count > 0);
        Assert.True(SeedRanges.HeldOut.End <= int.MaxValue + 1L);
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(14, true)]
    [InlineData(15, false)]
    public void Contains_HalfOpenInterval(long seed, bool expected)
    {
        Assert.Equal(expected, new SeedRange(10, 5).Contains(seed));
    }

    [Fact]
    public void Overlaps_AdjacentRanges_DoNotOverlap()
    {
        Assert.False(new SeedRange(0, 10).Overlaps(new SeedRange(10, 10)));
        Assert.True(new SeedRange(0, 11).Overlaps(new SeedRange(10, 10)));
    }
}
