using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Tests.GaussianProcesses;

/// <summary>Incremental Cholesky factors, the blocked candidate solve, variance bounds and the lazy candidate posterior.</summary>
public sealed class IncrementalFactorTests
{
    private static readonly MaternLinearKernelFamily Family = new(3, 1, 0.3);

    private static double[] Theta(double noise = 0.01) =>
        [Math.Log(0.5), Math.Log(0.8), Math.Log(1.1), Math.Log(1.3), Math.Log(0.1), Math.Log(0.7), Math.Log(noise)];

    private static List<double[]> Points(Random rng, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => new[] { rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.Next(3) })];

    /// <summary>A random symmetric positive definite matrix B·Bᵀ + n·I as jagged lower rows.</summary>
    private static double[][] RandomSpd(Random rng, int n)
    {
        var b = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                b[i, j] = rng.NextDouble() - 0.5;
            }
        }
        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new double[i + 1];
            for (var j = 0; j <= i; j++)
            {
                var sum = i == j ? n : 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += b[i, k] * b[j, k];
                }
                rows[i][j] = sum;
            }
        }
        return rows;
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(37, 5)]
    [InlineData(64, 13)]
    public void TryFactorizeRow_RowByRow_EqualsBlockedFactorisationBitForBit_AndReproducesMatrix(int seed, int n)
    {
        var rng = new Random(seed);
        var matrix = RandomSpd(rng, n + 40);
        var whole = matrix.Select(r => (double[])r.Clone()).ToArray();
        Assert.True(Cholesky.TryFactorize(whole));
        var grown = matrix.Select(r => (double[])r.Clone()).ToArray();
        for (var i = 0; i < grown.Length; i++)
        {
            Assert.True(Cholesky.TryFactorizeRow(grown, i));
        }
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], grown[i]);
            for (var j = 0; j <= i; j++)
            {
                var product = 0.0;
                for (var k = 0; k <= j; k++)
                {
                    product += grown[i][k] * grown[j][k];
                }
                Assert.Equal(matrix[i][j], product, 1e-10 * matrix.Length);
            }
        }
    }

    [Fact]
    public void TryFactorizeRow_NotPositiveDefinite_ReturnsFalse()
    {
        double[][] rows = [[1.0], [2.0, 1.0]]; // [[1, 2], [2, 1]] has a negative eigenvalue
        Assert.True(Cholesky.TryFactorizeRow(rows, 0));
        Assert.False(Cholesky.TryFactorizeRow(rows, 1));
    }

    [Theory]
    [InlineData(0, new[] { 1, 3, 4, 9 })]
    [InlineData(5, new[] { 4, 1, 1, 30, 2 })]
    [InlineData(13, new[] { 70, 6 })]
    public void TryExtend_SeveralAppends_EqualsFreshFactorisationBitForBit(int initial, int[] appends)
    {
        var rng = new Random(initial + 100);
        var points = Points(rng, initial + appends.Sum());
        var theta = Theta();
        var factor = CovarianceFactor.TryCreate(Family, theta, points.Take(initial).ToList())!;
        var count = initial;
        foreach (var step in appends)
        {
            count += step;
            // New arrays with the same values: the prefix is compared by value, as the tuner rebuilds its inputs.
            var inputs = points.Take(count).Select(p => (double[])p.Clone()).ToList();
            Assert.True(factor.TryExtend(inputs));
            var fresh = CovarianceFactor.TryCreate(Family, theta, inputs)!;
            Assert.Equal(fresh.Jitter, factor.Jitter);
            Assert.Equal(fresh.Rows.Count, factor.Rows.Count);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(fresh.Rows[i], factor.Rows[i]);
            }
        }
        Assert.Equal(appends.Sum(), factor.AppendedRows);
    }

    [Fact]
    public void TryExtend_InputsNotExtendingTheFactor_ReturnsFalseAndLeavesItUnchanged()
    {
        var rng = new Random(3);
        var points = Points(rng, 20);
        var factor = CovarianceFactor.TryCreate(Family, Theta(), points.Take(10).ToList())!;
        var rows = factor.Rows.Select(r => (double[])r.Clone()).ToList();
        var reordered = points.Take(12).ToList();
        (reordered[2], reordered[3]) = (reordered[3], reordered[2]);
        Assert.False(factor.TryExtend(reordered));
        Assert.False(factor.TryExtend(points.Take(9).ToList()));
        Assert.Equal(10, factor.Count);
        Assert.Equal(rows, factor.Rows);
        Assert.True(factor.Matches(Theta()));
        Assert.False(factor.Matches(Theta(noise: 0.02)));
    }

    [Fact]
    public void FromFactor_ExtendedWithChangingTargets_PredictsLikeAFullRefitAtTheSameHyperparameters()
    {
        var rng = new Random(11);
        var points = Points(rng, 90);
        var queries = Points(rng, 25);
        var theta = Theta();
        var factor = CovarianceFactor.TryCreate(Family, theta, points.Take(50).ToList())!;
        foreach (var n in new[] { 51, 60, 90 })
        {
            var inputs = points.Take(n).ToList();
            Assert.True(factor.TryExtend(inputs));
            // Rank-like targets: every value changes when a point is added, so only the factor can be reused.
            var targets = inputs.Select((p, i) => Math.Sin(3 * p[0]) + (p[1] * p[2]) + (i * 1e-3 * n)).ToList();
            var incremental = GaussianProcess.FromFactor(factor, targets);
            var full = GaussianProcess.TryCreate(Family, theta, inputs, targets)!;
            Assert.Equal(full.Mean, incremental.Mean, 1e-12);
            var a = new LazyCandidatePosterior(incremental, queries, bounds: null);
            var b = new LazyCandidatePosterior(full, queries, bounds: null);
            for (var j = 0; j < queries.Count; j++)
            {
                Assert.Equal(b.Means[j], a.Means[j], 1e-10);
                Assert.Equal(b.Variance(j), a.Variance(j), 1e-10);
            }
        }
    }

    [Fact]
    public void FromFactor_FantasiesAppendedToTheModel_NeverReachTheFactor()
    {
        var rng = new Random(12);
        var points = Points(rng, 30);
        var factor = CovarianceFactor.TryCreate(Family, Theta(), points)!;
        var gp = GaussianProcess.FromFactor(factor, [.. points.Select(p => p[0])]);
        gp.Append(Points(rng, 1)[0], 0.5);
        Assert.Equal(31, gp.Count);
        Assert.Equal(30, factor.Count);
        Assert.Equal(30, factor.Rows.Count);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(37, 33)]
    [InlineData(130, 70)]
    public void PredictVariances_BlockedPanels_EqualTheForwardSubstitution(int n, int m)
    {
        var rng = new Random(n);
        var points = Points(rng, n);
        var gp = GaussianProcess.TryCreate(Family, Theta(), points, [.. points.Select(p => p[1])])!;
        var candidates = Points(rng, m);
        var blocked = gp.PredictVariances(candidates, blocked: true);
        var substitution = gp.PredictVariances(candidates, blocked: false);
        var eager = new LazyCandidatePosterior(gp, candidates, bounds: null);
        for (var j = 0; j < m; j++)
        {
            Assert.Equal(substitution[j], blocked[j], 1e-10);
            Assert.Equal(Math.Max(substitution[j], 0), eager.Variance(j), 1e-10);
            Assert.Equal(gp.Predict(candidates[j]).Variance, Math.Max(blocked[j], 0), 1e-10);
        }
    }

    [Theory]
    [InlineData(20, 0.01)]
    [InlineData(300, 0.01)]
    [InlineData(300, 1e-5)]
    public void VarianceUpperBounds_AreNeverBelowTheExactVariance_AndExactWhenTheSubsetIsEverything(int n, double noise)
    {
        var rng = new Random(n);
        var points = Points(rng, n);
        var gp = GaussianProcess.TryCreate(Family, Theta(noise), points, [.. points.Select(p => p[0] * p[1])])!;
        var anchors = Points(rng, 4);
        var candidates = new List<double[]>();
        var groups = new List<int>();
        for (var j = 0; j < 120; j++)
        {
            var g = j % anchors.Count;
            var c = (double[])anchors[g].Clone();
            for (var k = 0; k < 3; k++)
            {
                c[k] += 0.2 * (rng.NextDouble() - 0.5);
            }
            candidates.Add(c);
            groups.Add(g);
        }
        var bounds = gp.VarianceUpperBounds(candidates, groups, anchors);
        var exact = gp.PredictVariances(candidates);
        var everything = n <= GaussianProcess.BoundLocalPoints + GaussianProcess.BoundSpreadPoints;
        for (var j = 0; j < candidates.Count; j++)
        {
            Assert.True(bounds[j] >= Math.Max(exact[j], 0), $"candidate {j}: bound {bounds[j]:R} < exact {exact[j]:R}");
            if (everything)
            {
                Assert.Equal(Math.Max(exact[j], 0), bounds[j], 1e-9);
            }
        }
    }

    [Fact]
    public void PosteriorCovariance_HasTheVariancesOnItsDiagonal_AndItsRowIsWhatAnObservationThereRemoves()
    {
        var rng = new Random(8);
        var points = Points(rng, 60);
        var gp = GaussianProcess.TryCreate(Family, Theta(), points, [.. points.Select(p => Math.Sin(3 * p[0]) + p[1])])!;
        var candidates = Points(rng, 7);
        var covariance = gp.PosteriorCovariance(candidates);
        var before = gp.PredictVariances(candidates);
        for (var j = 0; j < candidates.Count; j++)
        {
            Assert.Equal(before[j], covariance[j, j], 1e-10);
            for (var k = 0; k < candidates.Count; k++)
            {
                Assert.Equal(covariance[j, k], covariance[k, j]);
            }
        }
        // Observing y at candidate 0 (noise σ²_n + ε) lowers each variance by cov(0, j)² / (σ²_0 + σ²_n + ε): the
        // appended factor row is an independent computation of the same posterior.
        var noise = gp.Kernel.NoiseVarianceAt(candidates[0]) + gp.Jitter;
        gp.Append(candidates[0], 0.25);
        var after = gp.PredictVariances(candidates);
        var moved = 0;
        for (var j = 0; j < candidates.Count; j++)
        {
            var removed = covariance[0, j] * covariance[0, j] / (covariance[0, 0] + noise);
            Assert.Equal(before[j] - removed, after[j], 1e-9);
            moved += removed > 1e-6 ? 1 : 0;
        }
        Assert.True(moved >= 2, "some candidates are correlated with the observed one");
    }

    [Fact]
    public void LazyPosterior_ConditionedTwice_MatchesTheModelWithTheFantasiesAppended_AndBoundsStayAbove()
    {
        var rng = new Random(21);
        var points = Points(rng, 150);
        var theta = Theta();
        var targets = points.Select(p => Math.Cos(2 * p[0]) + p[2]).ToList();
        var gp = GaussianProcess.TryCreate(Family, theta, points, targets)!;
        var candidates = Points(rng, 70);
        var groups = candidates.Select((_, j) => j % 3).ToList();
        var anchors = candidates.Take(3).ToList();
        var lazy = new LazyCandidatePosterior(gp, candidates, gp.VarianceUpperBounds(candidates, groups, anchors));
        lazy.EnsureExact([5, 6]);
        Assert.Equal(2, lazy.ExactCount);
        lazy.Condition(5, 0.8);
        lazy.Condition(40, -0.3);
        var reference = GaussianProcess.TryCreate(Family, theta, points, targets, mean: gp.Mean)!;
        reference.Append(candidates[5], 0.8);
        reference.Append(candidates[40], -0.3);
        var expected = reference.PredictVariances(candidates);
        var expectedMeans = reference.PredictMeans(candidates);
        for (var j = 0; j < candidates.Count; j++)
        {
            Assert.Equal(expectedMeans[j], lazy.Means[j], 1e-8);
            if (!lazy.IsExact(j))
            {
                Assert.True(lazy.VarianceBound(j) >= expected[j] - 1e-9, $"candidate {j}");
            }
            Assert.Equal(Math.Max(expected[j], 0), lazy.Variance(j), 1e-8);
        }
        var allExact = new LazyCandidatePosterior(gp, candidates, bounds: null);
        Assert.Equal(candidates.Count, allExact.ExactCount);
    }
}
