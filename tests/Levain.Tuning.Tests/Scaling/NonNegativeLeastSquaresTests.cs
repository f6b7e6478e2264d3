using Levain.Tuning.Scaling;

namespace Levain.Tuning.Tests.Scaling;

public sealed class NonNegativeLeastSquaresTests
{
    /// <summary>
    /// The oracle: every subset of columns fitted without constraints; the best fit among those whose coefficients are
    /// all non-negative is the constrained optimum (the optimum is an unconstrained fit on its own support).
    /// </summary>
    private static double BruteForceResidual(double[][] columns, double[] b)
    {
        var best = b.Sum(v => v * v);
        for (var mask = 1; mask < 1 << columns.Length; mask++)
        {
            var chosen = Enumerable.Range(0, columns.Length).Where(j => (mask & (1 << j)) != 0).ToArray();
            if (NormalEquations([.. chosen.Select(j => columns[j])], b) is { } x && x.All(v => v >= -1e-12))
            {
                best = Math.Min(best, Residual(columns, [.. Enumerable.Range(0, columns.Length).Select(j => Array.IndexOf(chosen, j) is var k and >= 0 ? x[k] : 0.0)], b));
            }
        }
        return best;
    }

    /// <summary>The reference unconstrained fit: AᵀA x = Aᵀb by Gaussian elimination with partial pivoting (small, well-conditioned problems); null if singular.</summary>
    internal static double[]? NormalEquations(double[][] columns, double[] b)
    {
        var n = columns.Length;
        var m = columns.Select(ci => columns.Select(cj => ci.Zip(cj, (u, v) => u * v).Sum()).Append(ci.Zip(b, (u, v) => u * v).Sum()).ToArray()).ToArray();
        for (var k = 0; k < n; k++)
        {
            var pivot = Enumerable.Range(k, n - k).MaxBy(i => Math.Abs(m[i][k]));
            if (Math.Abs(m[pivot][k]) < 1e-12)
            {
                return null;
            }
            (m[k], m[pivot]) = (m[pivot], m[k]);
            for (var i = 0; i < n; i++)
            {
                if (i != k)
                {
                    var f = m[i][k] / m[k][k];
                    for (var j = k; j <= n; j++)
                    {
                        m[i][j] -= f * m[k][j];
                    }
                }
            }
        }
        return [.. Enumerable.Range(0, n).Select(k => m[k][n] / m[k][k])];
    }

    private static double Residual(double[][] columns, double[] x, double[] b) =>
        b.Select((v, i) => v - columns.Select((c, j) => c[i] * x[j]).Sum()).Sum(r => r * r);

    [Fact]
    public void Solve_MatchesTheBruteForceOptimum_OnRandomProblems()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(1, 6);
            var m = random.Next(n, 10);
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            var b = Enumerable.Range(0, m).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

            var x = NonNegativeLeastSquares.Solve(columns, b);

            Assert.All(x, v => Assert.True(v >= 0, $"coefficient {v}"));
            Assert.Equal(BruteForceResidual(columns, b), Residual(columns, x, b), 1e-9);
        }
    }

    [Fact]
    public void Solve_RecoversExactNonNegativeCoefficients_FromNearlyCollinearColumns()
    {
        // w and w² over w in [40, 60]: the normal equations of these columns lose about half the digits; QR does not.
        double[] w = [.. Enumerable.Range(0, 12).Select(i => 40.0 + (20.0 * i / 11))];
        double[][] columns = [[.. w.Select(_ => 1.0)], w, [.. w.Select(v => v * v)], [.. w.Select(v => v * v * v)]];
        double[] truth = [0.0, 3.0, 0.25, 0.0];
        double[] b = [.. w.Select(v => (3.0 * v) + (0.25 * v * v))];

        var x = NonNegativeLeastSquares.Solve(columns, b);

        for (var j = 0; j < truth.Length; j++)
        {
            Assert.Equal(truth[j], x[j], 1e-7);
        }
    }

    [Fact]
    public void Solve_ReturnsZero_WhenEveryColumnPointsAwayFromTheTarget()
    {
        var x = NonNegativeLeastSquares.Solve([[1.0, 2.0], [0.5, 1.0]], [-1.0, -2.0]);
        Assert.Equal([0.0, 0.0], x);
    }
}
