using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

public sealed class LbfgsTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void Minimize_Rosenbrock_ReachesTheMinimum(int dimension)
    {
        static double Rosenbrock(ReadOnlySpan<double> x, Span<double> g)
        {
            var f = 0.0;
            g.Clear();
            for (var i = 0; i + 1 < x.Length; i++)
            {
                var a = x[i + 1] - (x[i] * x[i]);
                var b = 1 - x[i];
                f += (100 * a * a) + (b * b);
                g[i] += (-400 * x[i] * a) - (2 * b);
                g[i + 1] += 200 * a;
            }
            return f;
        }
        var start = Enumerable.Range(0, dimension).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var result = Lbfgs.Minimize(Rosenbrock, start, maxIterations: 2000, gradientTolerance: 1e-8);
        Assert.True(result.Value < 1e-10, $"f = {result.Value} after {result.Iterations} iterations");
        Assert.All(result.Point, v => Assert.Equal(1.0, v, 1e-4));
    }

    [Fact]
    public void Minimize_InfeasibleRegion_BacktracksInsteadOfFailing()
    {
        // f = x − ln x is +∞ for x ≤ 0; minimum at x = 1.
        static double F(ReadOnlySpan<double> x, Span<double> g)
        {
            if (x[0] <= 0)
            {
                return double.PositiveInfinity;
            }
            g[0] = 1 - (1 / x[0]);
            return x[0] - Math.Log(x[0]);
        }
        var result = Lbfgs.Minimize(F, [0.01], 200, gradientTolerance: 1e-10);
        Assert.Equal(1.0, result.Point[0], 1e-6);
    }
}
