using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

/// <summary>The output model's cost-dependent noise σ²_n(t) = exp(θ_n + θ_t·(t − 1)) + σ²_floor (t: scaled ln cost).</summary>
public sealed class CostDependentNoiseTests
{
    private static readonly MaternLinearKernelFamily Family = new(2, 1, 0.3, costDependentNoise: true);

    /// <summary>Rows [x0, x1, category, t] with y = sin(3·x0) + x1/2 + noise of standard deviation <paramref name="noiseAt"/>(t).</summary>
    private static (List<double[]> X, List<double> Y) Data(int seed, int n, Func<double, double> noiseAt)
    {
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var t = rng.NextDouble();
            var row = new[] { (rng.NextDouble() * 2) - 1, (rng.NextDouble() * 2) - 1, rng.Next(2), t };
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x.Add(row);
            y.Add(Math.Sin(3 * row[0]) + (0.5 * row[1]) + (noiseAt(t) * gaussian));
        }
        return (x, y);
    }

    [Fact]
    public void FitParameters_NoiseFallingWithCost_FitsAClearlyNegativeSlope()
    {
        var (x, y) = Data(3, 120, t => 0.6 * (1 - t) + 0.02);
        var fit = GaussianProcess.FitParameters(Family, x, y, null, 200);
        var slope = fit.Point[Family.NoiseSlopeIndex];
        Assert.True(slope < -2.5, $"θ_t = {slope:G3}");
        var kernel = Family.Bind(fit.Point);
        // The cheapest rows are modelled far noisier than the dearest.
        Assert.True(kernel.NoiseVarianceAt(new double[] { 0, 0, 0, 0.0 }) > 10 * kernel.NoiseVarianceAt(new double[] { 0, 0, 0, 1.0 }));
        Assert.Equal(kernel.NoiseVariance, kernel.NoiseVarianceAt(new double[] { 0, 0, 0 })); // a candidate row: σ²_n(1)
    }

    [Fact]
    public void FitParameters_HomoscedasticNoise_SlopeStaysNearZero()
    {
        var (x, y) = Data(5, 120, _ => 0.2);
        var fit = GaussianProcess.FitParameters(Family, x, y, null, 200);
        var slope = fit.Point[Family.NoiseSlopeIndex];
        Assert.InRange(slope, -0.8, 0.8);
        Assert.InRange(Math.Exp(fit.Point[^1]), 0.01, 0.1); // true variance 0.04
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogMarginalLikelihood_GradientIncludingTheSlope_MatchesFiniteDifferences(bool withPrior)
    {
        double[] theta = [Math.Log(0.6), Math.Log(0.9), Math.Log(1.4), Math.Log(0.07), Math.Log(0.5), -1.7, Math.Log(0.02)];
        var (x, y) = Data(9, 30, t => 0.3 * (1 - t) + 0.05);
        var centred = y.Select(v => v - y.Average()).ToArray();
        GaussianProcessFitTests.AssertGradient(Family, theta, x, centred, withPrior);
        var gradient = new double[theta.Length];
        GaussianProcess.LogMarginalLikelihood(Family, theta, x, centred, gradient);
        Assert.True(Math.Abs(gradient[Family.NoiseSlopeIndex]) > 1e-3, $"∂/∂θ_t = {gradient[Family.NoiseSlopeIndex]}"); // the slope term is exercised
    }

    [Fact]
    public void AppendedRows_UseTheirOwnNoise_AndEqualAFullFactorisationWithTheSameTheta()
    {
        double[] theta = [Math.Log(0.6), Math.Log(0.9), Math.Log(1.4), Math.Log(0.07), Math.Log(0.5), -3.0, Math.Log(0.01)];
        var (x, y) = Data(11, 40, t => 0.3 * (1 - t));
        var factor = CovarianceFactor.TryCreate(Family, theta, x.Take(25).ToList())!;
        Assert.True(factor.TryExtend(x.Select(r => (double[])r.Clone()).ToList()));
        var fresh = CovarianceFactor.TryCreate(Family, theta, x)!;
        for (var i = 0; i < x.Count; i++)
        {
            Assert.Equal(fresh.Rows[i], factor.Rows[i]);
        }
        // The GP's own Append (rows carrying t) gives the model built on all rows at once.
        var grown = GaussianProcess.TryCreate(Family, theta, x.Take(25).ToList(), y.Take(25).ToList(), mean: 0.0)!;
        for (var i = 25; i < x.Count; i++)
        {
            grown.Append(x[i], y[i]);
        }
        var whole = GaussianProcess.TryCreate(Family, theta, x, y, mean: 0.0)!;
        var queries = Data(12, 15, _ => 0).X.Select(r => r[..3]).ToList(); // candidates: no t column
        for (var j = 0; j < queries.Count; j++)
        {
            var a = grown.Predict(queries[j]);
            var b = whole.Predict(queries[j]);
            Assert.Equal(b.Mean, a.Mean, 1e-9);
            Assert.Equal(b.Variance, a.Variance, 1e-9);
            // The literal formula with σ²_n(t_i) on each training row's diagonal: the noise-free value at a candidate.
            var (mean, variance) = NaiveGaussianProcess.Predict(whole.Kernel, whole.Jitter, x, y, 0.0, queries[j]);
            Assert.Equal(mean, b.Mean, 1e-7);
            Assert.Equal(Math.Max(variance, 0), b.Variance, 1e-7);
        }
    }
}
