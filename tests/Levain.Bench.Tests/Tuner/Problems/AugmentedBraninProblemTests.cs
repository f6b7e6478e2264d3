using CsCheck;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Problems;

public sealed class AugmentedBraninProblemTests
{
    private const double PublishedOptimumTolerance = 1e-5; // minimisers are published to 3-5 digits
    private readonly AugmentedBraninProblem _problem = new();

    private static Dictionary<string, ParamValue> Point(double x1, double x2, double s) => new(StringComparer.Ordinal)
    {
        ["x1"] = x1,
        ["x2"] = x2,
        ["s"] = s,
    };

    // Standard Branin, written out independently as the oracle for s = 1.
    private static double StandardBranin(double x1, double x2)
    {
        const double a = 1, r = 6, s = 10;
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        return a * Math.Pow(x2 - b * x1 * x1 + c * x1 - r, 2) + s * (1 - t) * Math.Cos(x1) + s;
    }

    [Theory]
    [InlineData(-Math.PI, 12.275)]
    [InlineData(Math.PI, 2.275)]
    [InlineData(9.42478, 2.475)]
    public void NoiseFreeValue_EachStandardMinimizerAtFullFidelity_Is0397887(double x1, double x2)
    {
        Assert.Equal(0.397887, _problem.NoiseFreeValue(Point(x1, x2, 1.0)), PublishedOptimumTolerance);
        Assert.Equal(0.397887, _problem.OptimumValue, 1e-6);
    }

    [Fact]
    public void Value_FullFidelity_IsStandardBranin()
    {
        Gen.Select(Gen.Double[-5, 10], Gen.Double[0, 15])
            .Sample((x1, x2) => Math.Abs(AugmentedBraninProblem.Value(x1, x2, 1.0) - StandardBranin(x1, x2)) < 1e-9);
    }

    [Fact]
    public void NoiseFreeValue_AnyPointInTheBox_IsNotBelowTheOptimum()
    {
        Gen.Select(Gen.Double[-5, 10], Gen.Double[0, 15], Gen.Double[0, 1])
            .Sample((x1, x2, s) => _problem.NoiseFreeValue(Point(x1, x2, s)) >= _problem.OptimumValue - 1e-12);
    }

    [Fact]
    public void NoiseFreeValue_LowerFidelity_CannotReachTheOptimum()
    {
        // f ≥ 10·t_s = optimum + 0.5(1 − s): a fine grid at s = 0.5 stays above optimum + 0.25.
        var best = double.PositiveInfinity;
        for (var x1 = -5.0; x1 <= 10.0; x1 += 0.01)
        {
            for (var x2 = 0.0; x2 <= 15.0; x2 += 0.01)
            {
                best = Math.Min(best, AugmentedBraninProblem.Value(x1, x2, 0.5));
            }
        }
        Assert.InRange(best, _problem.OptimumValue + 0.25 - 1e-9, _problem.OptimumValue + 0.26);
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(0.3, 5.3)]
    [InlineData(1.0, 6.0)]
    public void Cost_Fidelity_Is5PlusS(double s, double expected)
    {
        Assert.Equal(expected, _problem.Cost(Point(0, 0, s)), 1e-12);
    }

    [Fact]
    public void Evaluate_AnyPoint_IsDeterministic()
    {
        var evaluation = _problem.Evaluate(Point(1.0, 2.0, 0.25), new Random(5));

        Assert.Equal(evaluation.NoiseFreeValue, evaluation.ObservedValue);
        Assert.Equal(5.25, evaluation.Cost, 1e-12);
    }
}
