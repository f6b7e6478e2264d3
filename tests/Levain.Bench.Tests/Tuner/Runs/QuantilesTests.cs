using Levain.Bench.Tuner.Runs;

namespace Levain.Bench.Tests.Tuner.Runs;

public sealed class QuantilesTests
{
    [Fact]
    public void Summarize_FourValues_InterpolatesLikeRType7()
    {
        var summary = Quantiles.Summarize([4.0, 1.0, 3.0, 2.0]);

        Assert.Equal(2.5, summary.Median, 1e-12);
        Assert.Equal(1.75, summary.Q1, 1e-12);
        Assert.Equal(3.25, summary.Q3, 1e-12);
    }

    [Fact]
    public void Summarize_OddCount_MedianIsTheMiddleValue()
    {
        var summary = Quantiles.Summarize([9.0, 1.0, 5.0, 7.0, 3.0]);

        Assert.Equal(5.0, summary.Median);
        Assert.Equal(3.0, summary.Q1);
        Assert.Equal(7.0, summary.Q3);
    }

    [Fact]
    public void Of_InfiniteValues_SortLastAndDoNotPoisonLowerQuantiles()
    {
        double[] values = [1.0, double.PositiveInfinity, 2.0, double.PositiveInfinity];

        Assert.Equal(1.75, Quantiles.Of(values, 0.25), 1e-12);
        Assert.True(double.IsPositiveInfinity(Quantiles.Of(values, 0.75)));
    }

    [Fact]
    public void Of_Empty_IsNaN()
    {
        Assert.True(double.IsNaN(Quantiles.Of([], 0.5)));
    }
}
