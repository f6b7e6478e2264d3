using CsCheck;
using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

public sealed class GaussianProcessTests
{
    private const double Tolerance = 1e-9;
    private static readonly MaternLinearKernelFamily Family = new(2, 1, 0.3);

    private static double[] Theta(double lengthscale = 0.7, double amplitude = 1.3, double linear = 0.05, double categorical = 0.8, double noise = 0.01) =>
        [Math.Log(lengthscale), Math.Log(lengthscale * 1.5), Math.Log(amplitude), Math.Log(linear), Math.Log(categorical), Math.Log(noise)];

    [Fact]
    public void Covariance_MatchesClosedForm()
    {
        var kernel = Family.Bind(Theta());
        double[] a = [0.1, -0.2, 0], b = [0.4, 0.3, 1];
        var r = Math.Sqrt(Math.Pow(0.3 / 0.7, 2) + Math.Pow(0.5 / 1.05, 2));
        var expected = (0.05 * ((0.1 * 0.4) + (-0.2 * 0.3))) + (1.3 * (1 + (Math.Sqrt(3) * r)) * Math.Exp(-Math.Sqrt(3) * r) * Math.Exp(-0.8));
        Assert.Equal(expected, kernel.Covariance(a, b), Tolerance);
        Assert.Equal(kernel.Covariance(b, a), kernel.Covariance(a, b), 1e-15);
        Assert.Equal(1.3 + (0.05 * 0.05), kernel.Covariance(a, a), Tolerance);
    }

    [Fact]
    public void Predict_OnePoint_MatchesClosedForm()
    {
        var theta = Theta();
        double[] x1 = [0.2, 0.1, 0];
        var gp = GaussianProcess.TryCreate(Family, theta, [x1], [1.7], mean: 0.0)!;
        var kernel = Family.Bind(theta);
        double[] query = [0.5, -0.3, 1];
        var denominator = kernel.Covariance(x1, x1) + kernel.NoiseVariance + gp.Jitter;
        var k1 = kernel.Covariance(query, x1);
        var (mean, variance) = gp.Predict(query);
        Assert.Equal(k1 / denominator * 1.7, mean, Tolerance);
        Assert.Equal(kernel.Covariance(query, query) - (k1 * k1 / denominator), variance, Tolerance);
    }

    [Fact]
    public void Predict_TwoPoints_MatchesClosedForm()
    {
        var theta = Theta();
        double[] x1 = [0.2, 0.1, 0], x2 = [-0.3, 0.4, 1];
        double y1 = 0.4, y2 = -1.1;
        var gp = GaussianProcess.TryCreate(Family, theta, [x1, x2], [y1, y2], mean: 0.0)!;
        var kernel = Family.Bind(theta);
        var extra = kernel.NoiseVariance + gp.Jitter;
        double a = kernel.Covariance(x1, x1) + extra, b = kernel.Covariance(x1, x2), d = kernel.Covariance(x2, x2) + extra;
        var det = (a * d) - (b * b);
        double[] query = [0.0, 0.0, 0];
        double k1 = kernel.Covariance(query, x1), k2 = kernel.Covariance(query, x2);
        // K⁻¹ = [d −b; −b a] / det
        var w1 = ((d * k1) - (b * k2)) / det;
        var w2 = ((a * k2) - (b * k1)) / det;
        var (mean, variance) = gp.Predict(query);
        Assert.Equal((w1 * y1) + (w2 * y2), mean, Tolerance);
        Assert.Equal(kernel.Covariance(query, query) - ((w1 * k1) + (w2 * k2)), variance, Tolerance);
    }

    [Fact]
    public void EagerCandidatePosterior_MatchesNaiveReference()
    {
        var rng = new Random(11);
        var (x, y) = RandomData(rng, 40);
        var theta = Theta();
        var gp = GaussianProcess.TryCreate(Family, theta, x, y)!;
        var queries = RandomData(rng, 70).X;
        var batch = new LazyCandidatePosterior(gp, queries, bounds: null);
        var means = gp.PredictMeans(queries);
        for (var j = 0; j < queries.Count; j++)
        {
            var (mean, variance) = NaiveGaussianProcess.Predict(gp.Kernel, gp.Jitter, x, y, gp.Mean, queries[j]);
            Assert.Equal(mean, batch.Means[j], Tolerance);
            Assert.Equal(mean, means[j], Tolerance);
            Assert.Equal(Math.Max(variance, 0), batch.Variance(j), Tolerance);
            var single = gp.Predict(queries[j]);
            Assert.Equal(mean, single.Mean, Tolerance);
            Assert.Equal(Math.Max(variance, 0), single.Variance, Tolerance);
        }
    }

    [Fact]
    public void Append_EqualsRebuildWithThePoint()
    {
        var rng = new Random(3);
        var (x, y) = RandomData(rng, 25);
        var gp = GaussianProcess.TryCreate(Family, Theta(), x.GetRange(0, 20), y.GetRange(0, 20))!;
        for (var i = 20; i < 25; i++)
        {
            gp.Append(x[i], y[i]);
        }
        var rebuilt = GaussianProcess.TryCreate(Family, Theta(), x, y, mean: gp.Mean)!;
        double[] query = [0.3, -0.1, 1];
        Assert.Equal(rebuilt.Predict(query).Mean, gp.Predict(query).Mean, Tolerance);
        Assert.Equal(rebuilt.Predict(query).Variance, gp.Predict(query).Variance, Tolerance);
    }

    [Fact]
    public void Condition_EqualsRebuildWithFantasyAppended()
    {
        var rng = new Random(5);
        var (x, y) = RandomData(rng, 30);
        var candidates = RandomData(rng, 50).X;
        var gp = GaussianProcess.TryCreate(Family, Theta(), x, y)!;
        var posterior = new LazyCandidatePosterior(gp, candidates, bounds: null);
        posterior.Condition(7, 0.9);
        posterior.Condition(21, -0.4);
        var reference = GaussianProcess.TryCreate(Family, Theta(), x, y, mean: gp.Mean)!;
        reference.Append(candidates[7], 0.9);
        reference.Append(candidates[21], -0.4);
        var expected = new LazyCandidatePosterior(reference, candidates, bounds: null);
        for (var j = 0; j < candidates.Count; j++)
        {
            Assert.Equal(expected.Means[j], posterior.Means[j], 1e-8);
            Assert.Equal(expected.Variance(j), posterior.Variance(j), 1e-8);
        }
    }

    [Fact]
    public void Covariance_IsSymmetricPositiveDefinite_Property()
    {
        var gen = Gen.Select(Gen.Int[1, 30], Gen.Double[-3, 2].Array[6], Gen.Int[0, 1000]);
        gen.Sample((n, logTheta, seed) =>
        {
            var theta = logTheta.ToArray();
            var kernel = Family.Bind(theta);
            var rng = new Random(seed);
            var x = RandomData(rng, n).X;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    Assert.Equal(kernel.Covariance(x[i], x[j]), kernel.Covariance(x[j], x[i]), 1e-14);
                }
            }
            var rows = GaussianProcess.BuildCovariance(kernel, x, Notation.Jitter);
            Assert.True(Cholesky.TryFactorize(rows));
        }, iter: 100);
    }

    [Fact]
    public void PosteriorVariance_IsNonNegative_Property()
    {
        var gen = Gen.Select(Gen.Int[1, 40], Gen.Double[-4, 2].Array[6], Gen.Int[0, 1000]);
        gen.Sample((n, logTheta, seed) =>
        {
            var rng = new Random(seed);
            var (x, y) = RandomData(rng, n);
            // Duplicate inputs on purpose: the noise keeps K positive definite.
            x.Add(x[0]);
            y.Add(y[0] + 0.1);
            var gp = GaussianProcess.TryCreate(Family, logTheta, x, y);
            Assert.NotNull(gp);
            var posterior = new LazyCandidatePosterior(gp, x.Concat(RandomData(rng, 10).X).ToList(), bounds: null);
            Assert.All(Enumerable.Range(0, posterior.Count), j => Assert.True(posterior.Variance(j) >= 0 && double.IsFinite(posterior.Variance(j))));
            Assert.All(posterior.Means, m => Assert.True(double.IsFinite(m)));
        }, iter: 100);
    }

    internal static (List<double[]> X, List<double> Y) RandomData(Random rng, int n)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        for (var i = 0; i < n; i++)
        {
            double[] row = [rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.Next(3)];
            x.Add(row);
            y.Add(Math.Sin(3 * row[0]) + (row[1] * row[1]) + (0.3 * row[2]) + (0.05 * rng.NextDouble()));
        }
        return (x, y);
    }
}
