using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

public sealed class GaussianProcessFitTests
{
    [Fact]
    public void LogMarginalLikelihood_MatchesNaiveFormula()
    {
        var family = new MaternLinearKernelFamily(2, 1, 0.3);
        var theta = family.InitialParameters();
        var (x, y) = GaussianProcessTests.RandomData(new Random(2), 15);
        var mean = y.Average();
        var centred = y.Select(v => v - mean).ToArray();
        var kernel = family.Bind(theta);
        var n = x.Count;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                k[i, j] = kernel.Covariance(x[i], x[j]) + (i == j ? kernel.NoiseVariance + Notation.Jitter : 0);
            }
        }
        var inverse = NaiveGaussianProcess.Invert(k);
        var quad = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                quad += centred[i] * inverse[i, j] * centred[j];
            }
        }
        var rows = GaussianProcess.BuildCovariance(kernel, x, Notation.Jitter);
        Assert.True(Cholesky.TryFactorize(rows));
        var logDet = 2 * rows.Sum(r => Math.Log(r[^1]));
        var expected = (-0.5 * quad) - (0.5 * logDet) - (0.5 * n * Math.Log(2 * Math.PI));
        Assert.Equal(expected, GaussianProcess.LogMarginalLikelihood(family, theta, x, centred, []), 1e-9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogMarginalLikelihood_GradientMatchesFiniteDifferences(bool withPrior)
    {
        var family = new MaternLinearKernelFamily(2, 1, 0.3);
        double[] theta = [Math.Log(0.6), Math.Log(0.9), Math.Log(1.4), Math.Log(0.07), Math.Log(0.5), Math.Log(0.02)];
        var (x, y) = GaussianProcessTests.RandomData(new Random(9), 25);
        var centred = y.Select(v => v - y.Average()).ToArray();
        AssertGradient(family, theta, x, centred, withPrior);
    }

    [Fact]
    public void RbfLogMarginalLikelihood_GradientMatchesFiniteDifferences()
    {
        var family = new RbfKernelFamily();
        double[] theta = [Math.Log(0.4), Math.Log(0.8), Math.Log(0.03)];
        var x = Enumerable.Range(0, 12).Select(i => new[] { (i / 6.0) - 1 }).ToList();
        var y = x.Select(v => Math.Tanh(2 * v[0])).ToArray();
        AssertGradient(family, theta, x, y, withPrior: true);
    }

    [Fact]
    public void FitParameters_ImprovesPosteriorAndWarmStartStaysPut()
    {
        var family = new MaternLinearKernelFamily(2, 1, 0.3);
        var (x, y) = GaussianProcessTests.RandomData(new Random(4), 60);
        var centred = y.Select(v => v - y.Average()).ToArray();
        var initial = GaussianProcess.NegativeLogPosterior(family, family.InitialParameters(), x, centred, new double[family.ParameterCount]);
        var cold = GaussianProcess.FitParameters(family, x, y, null, 200);
        Assert.True(cold.Value < initial - 1, $"fit {cold.Value} vs initial {initial}");
        var warm = GaussianProcess.FitParameters(family, x, y, cold.Point, 20);
        Assert.True(warm.Value <= cold.Value + 1e-9);
        Assert.True(warm.Evaluations <= 5, $"warm start took {warm.Evaluations} evaluations");
        // The noise the data were generated with (uniform 0.05 → variance ≈ 2e-4) is found within an order of magnitude or so.
        Assert.InRange(Math.Exp(cold.Point[^1]), 1e-5, 5e-2);
    }

    [Fact]
    public void FitParameters_LearnsArdLengthscales_IrrelevantDimensionGetsLonger()
    {
        var family = new MaternLinearKernelFamily(2, 0, 0.3);
        var rng = new Random(12);
        var x = Enumerable.Range(0, 80).Select(_ => new[] { (rng.NextDouble() * 2) - 1, (rng.NextDouble() * 2) - 1 }).ToList();
        var y = x.Select(v => Math.Sin(3 * v[0]) + (0.01 * rng.NextDouble())).ToList();
        var fit = GaussianProcess.FitParameters(family, x, y, null, 200);
        var relevant = Math.Exp(fit.Point[0]);
        var irrelevant = Math.Exp(fit.Point[1]);
        Assert.True(irrelevant > 3 * relevant, $"ℓ(relevant) = {relevant:G3}, ℓ(irrelevant) = {irrelevant:G3}");
    }

    internal static void AssertGradient(IKernelFamily family, double[] theta, IReadOnlyList<double[]> x, double[] centred, bool withPrior)
    {
        var gradient = new double[theta.Length];
        double Value(double[] t, double[] g) => withPrior
            ? GaussianProcess.NegativeLogPosterior(family, t, x, centred, g)
            : GaussianProcess.LogMarginalLikelihood(family, t, x, centred, g);
        Value(theta, gradient);
        const double h = 1e-5;
        for (var k = 0; k < theta.Length; k++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[k] += h;
            minus[k] -= h;
            var numeric = (Value(plus, []) - Value(minus, [])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"θ[{k}]: analytic {gradient[k]} vs numeric {numeric}");
        }
    }
}
