using Levain.Tuning.Scaling;

namespace Levain.Tuning.Tests.Scaling;

public sealed class LeastSquaresTests
{
    [Fact]
    public void Solve_MatchesTheNormalEquations_OnRandomWellConditionedProblems()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 100; trial++)
        {
            var n = random.Next(1, 6);
            var m = random.Next(n + 1, 12);
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            var b = Enumerable.Range(0, m).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

            var (x, isDependent) = LeastSquares.Solve(columns, b);

            Assert.DoesNotContain(true, isDependent);
            var reference = NonNegativeLeastSquaresTests.NormalEquations(columns, b)!;
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(reference[j], x[j], 1e-9);
            }
        }
    }

    [Fact]
    public void Solve_GivesADependentColumnZero_AndFitsWithTheRest()
    {
        // y = 2 + 3·u exactly; a column held at 0.7 beside the intercept, and one that is 2·u, add nothing. (Normal
        // equations with a small ridge split the intercept with the held column instead: an arbitrary coefficient.)
        double[] u = [0.1, 0.5, 0.9, 1.3, 2.0, 2.2];
        double[][] columns = [[.. u.Select(_ => 1.0)], u, [.. u.Select(_ => 0.7)], [.. u.Select(v => 2 * v)]];
        double[] y = [.. u.Select(v => 2 + (3 * v))];

        var (x, isDependent) = LeastSquares.Solve(columns, y);

        Assert.Equal([false, false, true, true], isDependent);
        Assert.Equal(2.0, x[0], 1e-12);
        Assert.Equal(3.0, x[1], 1e-12);
        Assert.Equal(0.0, x[2]);
        Assert.Equal(0.0, x[3]);
        Assert.Equal(x, LeastSquares.SolveRows([.. u.Select(v => new[] { 1.0, v, 0.7, 2 * v })], y));
    }
}
