using CsCheck;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Problems;

/// <summary>The held-out problems the tuner's defaults are chosen on: known optima, floors below full fidelity, costs.</summary>
public sealed class HeldOutProblemTests
{
    private static Dictionary<string, ParamValue> Point(params (string Name, double Value)[] values)
    {
        var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            point[name] = value;
        }
        return point;
    }

    // Standard Hartmann-3 written out independently (Surjanovic & Bingham's constants) as the oracle at s = 1.
    private static double StandardHartmann3(double x1, double x2, double x3)
    {
        double[] alpha = [1.0, 1.2, 3.0, 3.2];
        double[][] a = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
        double[][] p = [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]];
        double[] x = [x1, x2, x3];
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var e = 0.0;
            for (var j = 0; j < 3; j++)
            {
                e += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
            }
            sum += alpha[i] * Math.Exp(-e);
        }
        return -sum;
    }

    [Fact]
    public void MfHartmann3_PublishedMinimizerAtFullFidelity_IsMinus386278()
    {
        var problem = new MfHartmann3Problem();
        var x = MfHartmann3Problem.KnownMinimizer;
        var value = problem.NoiseFreeValue(Point(("x1", x[0]), ("x2", x[1]), ("x3", x[2]), ("z", 50.0)));

        Assert.Equal(-3.86278, value, 1e-5);
        Assert.Equal(-3.86278, problem.OptimumValue, 1e-5);
    }

    [Fact]
    public void MfHartmann3_FullFidelity_IsStandardHartmann3AndNeverBelowTheOptimum()
    {
        Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1])
            .Sample((a, b, c) => Math.Abs(MfHartmann3Problem.Value([a, b, c], 1.0) - StandardHartmann3(a, b, c)) < 1e-12);
        Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[2, 50])
            .Sample((a, b, c, z) => MfHartmann3Problem.Value([a, b, c], MfHartmann3Problem.FidelityFraction(z)) >= MfHartmann3Problem.KnownOptimum - 1e-9);
    }

    [Fact]
    public void MfHartmann3_CostAndNoise_GrowAndShrinkWithFidelity()
    {
        var problem = new MfHartmann3Problem();
        Assert.Equal(0.1 + (0.9 * Math.Pow(2.0 / 50, 1.5)), problem.Cost(Point(("x1", 0.5), ("x2", 0.5), ("x3", 0.5), ("z", 2.0))), 1e-12);
        Assert.Equal(1.0, problem.Cost(Point(("x1", 0.5), ("x2", 0.5), ("x3", 0.5), ("z", 50.0))), 1e-12);
        var low = Point(("x1", 0.1), ("x2", 0.5), ("x3", 0.8), ("z", 2.0));
        var high = Point(("x1", 0.1), ("x2", 0.5), ("x3", 0.8), ("z", 50.0));
        var random = new Random(3);
        double Spread(Dictionary<string, ParamValue> at)
        {
            var draws = Enumerable.Range(0, 2000).Select(_ => problem.Evaluate(at, random)).Select(e => e.ObservedValue - e.NoiseFreeValue).ToArray();
            var mean = draws.Average();
            return Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (draws.Length - 1));
        }
        Assert.InRange(Spread(low), 0.48, 0.56);  // 0.5 + 0.02
        Assert.InRange(Spread(high), 0.017, 0.023); // the floor 0.02
    }

    [Fact]
    public void LevyFidelity_MinimumIsZeroAtOnesOnlyAtFullFidelity()
    {
        var problem = new LevyFidelityProblem();
        Assert.Equal(0.0, LevyFidelityProblem.Value([1, 1, 1, 1], 1.0), 1e-12);
        Assert.Equal(0.0, problem.OptimumValue);
        // At lower fidelity the minimiser moves to 1 − 0.6(1 − s) and the floor is 2(1 − s)².
        Assert.Equal(2 * 0.25, LevyFidelityProblem.Value([0.7, 0.7, 0.7, 0.7], 0.5), 1e-12);
        Gen.Select(Gen.Double[-5, 5].Array[4], Gen.Double[0, 1])
            .Sample((x, s) => LevyFidelityProblem.Value(x, s) >= (2 * (1 - s) * (1 - s)) - 1e-12);
    }

    [Fact]
    public void LevyFidelity_FullFidelity_IsTheStandardLevyFunction()
    {
        // Levy at x = (0, 0, 0, 0): w = 0.75: sin²(0.75π) + 3·(0.0625·(1 + 10 sin²(0.75π + 1))) + 0.0625·(1 + sin²(1.5π)).
        var w = 0.75;
        var expected = Math.Pow(Math.Sin(Math.PI * w), 2) + (3 * 0.0625 * (1 + (10 * Math.Pow(Math.Sin((Math.PI * w) + 1), 2)))) + (0.0625 * (1 + Math.Pow(Math.Sin(2 * Math.PI * w), 2)));
        Assert.Equal(expected, LevyFidelityProblem.Value([0, 0, 0, 0], 1.0), 1e-12);
        Assert.Equal(5.0, new LevyFidelityProblem().Cost(Point(("x1", 0), ("x2", 0), ("x3", 0), ("x4", 0), ("s", 1.0))), 1e-12);
    }

    [Fact]
    public void ChinchillaEpoch_OptimumIsTheLargestRunAtItsOptimalSettingsAndNothingBeatsIt()
    {
        var problem = new ChinchillaEpochProblem();
        var expected = 1.8172 + (482.01 / Math.Pow(1e9, 0.3478)) + (2085.43 / Math.Pow(3e10, 0.3658));
        Assert.Equal(expected, problem.OptimumValue, 1e-12);
        Assert.Equal(18000, ChinchillaEpochProblem.CostOf(1e9, 3e10), 1e-9);
        Gen.Select(Gen.Double[Math.Log(3e6), Math.Log(1e9)], Gen.Double[Math.Log(3e8), Math.Log(3e10)], Gen.Double[-5, -1], Gen.Double[-3, 0])
            .Sample((ln, ld, lr, wd) => ChinchillaEpochProblem.Loss(Math.Exp(ln), Math.Exp(ld), Math.Pow(10, lr), Math.Pow(10, wd)) >= expected - 1e-12);
    }

    [Fact]
    public void ChinchillaEpoch_LearningRateOptimumMovesWithModelSize()
    {
        Assert.Equal(2e-3, ChinchillaEpochProblem.OptimalLearningRate(1e7), 1e-15);
        Assert.Equal(2e-3 * Math.Pow(100, -0.25), ChinchillaEpochProblem.OptimalLearningRate(1e9), 1e-15);
        var small = ChinchillaEpochProblem.Loss(1e7, 1e9, 2e-3, 0.1);
        Assert.Equal(0.12, ChinchillaEpochProblem.Loss(1e7, 1e9, 2e-2, 0.1) - small, 1e-12);
    }

    [Fact]
    public void ExpCurve_OptimumIsTheWidestLongestRunAndTheCurveIsItsEvaluation()
    {
        var problem = new ExponentialCurveProblem();
        var floor = 0.2 + (0.4 * Math.Pow(64.0 / 2048, 0.4));
        Assert.Equal(floor + ((3 - floor) * Math.Exp(-60.0 / 9)), problem.OptimumValue, 1e-12);
        Gen.Select(Gen.Int[32, 2048], Gen.Int[1, 60], Gen.Double[-5, -1], Gen.Double[0, 0.5])
            .Sample((w, t, lr, p) => ExponentialCurveProblem.Loss(w, t, Math.Pow(10, lr), p) >= problem.OptimumValue - 1e-12);
        var point = Point(("w", 512), ("t", 12), ("lr", 1e-3), ("p", 0.2));
        var curve = problem.Curve(point, new Random(1));
        Assert.Equal(12, curve.Count);
        Assert.Equal(problem.NoiseFreeValue(point), curve[^1].NoiseFreeValue, 1e-12);
        Assert.Equal(512 * 12 / 128.0, curve[^1].Cost, 1e-12);
        Assert.True(curve.Zip(curve.Skip(1)).All(pair => pair.Second.NoiseFreeValue < pair.First.NoiseFreeValue));
    }

    [Fact]
    public void Catalog_HeldOutProblemsAreNotReportedByDefault()
    {
        var reported = ProblemCatalog.Reported().Select(p => p.Name).ToArray();
        var heldOut = ProblemCatalog.HeldOut().Select(p => p.Name).ToArray();

        Assert.Equal(["mf-hartmann6", "augmented-branin", "height-with-cost", "chinchilla", "learning-curve"], reported);
        Assert.Equal(["mf-hartmann3", "levy-fidelity", "chinchilla-epoch", "exp-curve"], heldOut);
        Assert.Empty(reported.Intersect(heldOut));
    }
}
