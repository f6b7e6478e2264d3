using CsCheck;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Problems;

public sealed class HeightWithCostProblemTests
{
    private readonly HeightWithCostProblem _problem = new();

    private static Dictionary<string, ParamValue> Point(double w, double h, double e) => new(StringComparer.Ordinal)
    {
        ["w"] = w,
        ["h"] = h,
        ["e"] = e,
    };

    [Fact]
    public void NoiseFreeValue_WidestLowestLongest_IsTheOptimum()
    {
        var value = _problem.NoiseFreeValue(Point(20, -100, 100));

        Assert.Equal(1.0 / 20.1 - 10.0, value, 1e-12);
        Assert.Equal(_problem.OptimumValue, value, 1e-12);
    }

    [Fact]
    public void NoiseFreeValue_AnyPointInTheBox_IsNotBelowTheOptimum()
    {
        Gen.Select(Gen.Int[0, 20], Gen.Double[-100, 100], Gen.Int[1, 100])
            .Sample((w, h, e) => _problem.NoiseFreeValue(Point(w, h, e)) >= _problem.OptimumValue - 1e-12);
    }

    [Theory]
    [InlineData(0, 50.0, 10, 10.0 + 5.0)]
    [InlineData(10, -20.0, 4, 1.0 / 0.5 - 2.0)]
    public void NoiseFreeValue_Examples_Follow1Over01PlusWEOver100Plus01H(int w, double h, int e, double expected)
    {
        Assert.Equal(expected, _problem.NoiseFreeValue(Point(w, h, e)), 1e-12);
    }

    [Theory]
    [InlineData(2, 0.5, 10, 1.4207354924039483)]   // 10·(0.1 + 0.05·sin 1)
    [InlineData(0, 80.0, 100, 10.0)]               // sin 0 = 0
    [InlineData(20, -100.0, 100, 5.349802477919315)] // 100·(0.1 + 0.05·sin(−2000))
    public void Cost_Examples_FollowETimes01Plus005SinWH(int w, double h, int e, double expected)
    {
        Assert.Equal(expected, _problem.Cost(Point(w, h, e)), 1e-8);
    }

    [Fact]
    public void Evaluate_NonIntegerEpochs_ThrowsNamingTheParameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => _problem.Evaluate(Point(3, 0, 2.5), new Random(1)));
        Assert.Contains("'e'", ex.Message, StringComparison.Ordinal);
    }
}
