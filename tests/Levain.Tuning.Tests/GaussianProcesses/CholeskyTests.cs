using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

public sealed class CholeskyTests
{
    [Fact]
    public void FactorizeSolveInvert_MatchNaiveReference()
    {
        var rng = new Random(8);
        const int n = 37;
        var b = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                b[i, j] = rng.NextDouble() - 0.5;
            }
        }
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++)
                {
                    a[i, j] += b[i, k] * b[j, k];
                }
                a[i, j] += i == j ? 1 : 0;
            }
        }
        var rows = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, i + 1).Select(j => a[i, j]).ToArray()).ToArray();
        Assert.True(Cholesky.TryFactorize(rows));
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = 0.0;
                for (var k = 0; k <= j; k++)
                {
                    sum += rows[i][k] * rows[j][k];
                }
                Assert.Equal(a[i, j], sum, 1e-9);
            }
        }
        var rhs = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var solution = (double[])rhs.Clone();
        Cholesky.SolveLower(rows, solution);
        Cholesky.SolveUpper(rows, solution);
        var inverse = NaiveGaussianProcess.Invert(a);
        var fast = Cholesky.InverseFromFactor(rows);
        for (var i = 0; i < n; i++)
        {
            var expected = 0.0;
            for (var j = 0; j < n; j++)
            {
                expected += inverse[i, j] * rhs[j];
            }
            Assert.Equal(expected, solution[i], 1e-9);
            for (var j = 0; j <= i; j++)
            {
                Assert.Equal(inverse[i, j], fast[i][j], 1e-9);
            }
        }
    }

    [Fact]
    public void TryFactorize_IndefiniteMatrix_ReturnsFalse()
    {
        double[][] rows = [[1.0], [2.0, 1.0]];
        Assert.False(Cholesky.TryFactorize(rows));
    }
}
