using CsCheck;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Problems;

public sealed class MfHartmann6ProblemTests
{
    private const double PublishedOptimumTolerance = 1e-5; // x* is published to 6 digits
    private const double Exact = 1e-12;
    private readonly MfHartmann6Problem _problem = new();

    private static Dictionary<string, ParamValue> Point(IReadOnlyList<double> x, double z)
    {
        var point = x.Select((v, j) => ($"x{j + 1}", v)).Append(("z", z)).ToArray();
        return point.ToDictionary(p => p.Item1, p => ParamValue.FromNumber(p.Item2));
    }

    [Fact]
    public void NoiseFreeValue_KnownMinimizerAtFullFidelity_IsPublishedOptimum()
    {
        var value = _problem.NoiseFreeValue(Point(MfHartmann6Problem.KnownMinimizer, 100));

        Assert.Equal(-3.32237, value, PublishedOptimumTolerance);
        Assert.Equal(_problem.OptimumValue, value, PublishedOptimumTolerance);
    }

    [Fact]
    public void FidelityFraction_EndsAndMiddle_FollowLnZOverLn100()
    {
        Assert.Equal(1.0, MfHartmann6Problem.FidelityFraction(100), Exact);
        Assert.Equal(0.5, MfHartmann6Problem.FidelityFraction(10), Exact);
        Assert.Equal(Math.Log(3) / Math.Log(100), MfHartmann6Problem.FidelityFraction(3), Exact);
    }

    [Fact]
    public void Value_LowerFidelity_ShrinksEveryAlphaByBTimesOneMinusS()
    {
        // α′ = α − 3(1 − s) makes f affine in s with f(x, 0) − f(x, 1) = 3 Σᵢ exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²) > 0.
        double[] x = [0.3, 0.2, 0.5, 0.3, 0.3, 0.6];
        var atFull = MfHartmann6Problem.Value(x, 1.0);
        var atZero = MfHartmann6Problem.Value(x, 0.0);
        var atHalf = MfHartmann6Problem.Value(x, 0.5);

        Assert.Equal(0.5 * (atZero + atFull), atHalf, 1e-12);
        Assert.True(atZero - atFull > 0.1, $"low fidelity should be worse: {atZero} vs {atFull}");
    }

    [Fact]
    public void NoiseFreeValue_AnyPointInTheBox_IsNotBelowTheOptimum()
    {
        Gen.Select(Gen.Double[0, 1].Array[6], Gen.Double[3, 100])
            .Sample((x, z) => _problem.NoiseFreeValue(Point(x, z)) >= _problem.OptimumValue - 1e-9);
    }

    [Theory]
    [InlineData(3.0, 0.050855)]
    [InlineData(50.0, 0.2875)]
    [InlineData(100.0, 1.0)]
    public void Cost_Fidelity_Is005Plus095ZOver100Squared(double z, double expected)
    {
        Assert.Equal(expected, _problem.Cost(Point(MfHartmann6Problem.KnownMinimizer, z)), 1e-12);
    }

    [Fact]
    public void Evaluate_FullFidelity_ObservesTheNoiseFreeValue()
    {
        var evaluation = _problem.Evaluate(Point(MfHartmann6Problem.KnownMinimizer, 100), new Random(3));

        Assert.Equal(evaluation.NoiseFreeValue, evaluation.ObservedValue, Exact);
        Assert.Equal(1.0, evaluation.Cost, Exact);
    }

    [Fact]
    public void Evaluate_LowFidelity_AddsAbsoluteNormalTimesSigmaTimesOneMinusS()
    {
        var point = Point(MfHartmann6Problem.KnownMinimizer, 10); // s = 0.5
        var evaluation = _problem.Evaluate(point, new Random(11));
        var epsilon = StandardNormal.Draw(new Random(11));

        Assert.Equal(evaluation.NoiseFreeValue + Math.Abs(epsilon) * 3.0 * 0.5, evaluation.ObservedValue, 1e-12);
        Assert.Equal(_problem.NoiseFreeValue(point), evaluation.NoiseFreeValue, Exact);
    }

    [Fact]
    public void Evaluate_OutsideTheBox_ThrowsNamingTheParameter()
    {
        var point = Point(MfHartmann6Problem.KnownMinimizer, 150);

        var ex = Assert.Throws<ArgumentException>(() => _problem.Evaluate(point, new Random(1)));
        Assert.Contains("'z'", ex.Message, StringComparison.Ordinal);
    }
}
