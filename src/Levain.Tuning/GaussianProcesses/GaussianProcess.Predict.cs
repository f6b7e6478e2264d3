using System.Runtime.InteropServices;

namespace Levain.Tuning.GaussianProcesses;

/// <summary>Posterior prediction: single points, means only for many points, and the joint batch posterior.</summary>
internal sealed partial class GaussianProcess
{
    /// <summary>Candidate columns handled together in the blocked triangular solve (n × 64 doubles stay in cache).</summary>
    private const int ColumnBlock = 64;

    /// <summary>Posterior mean μ(x) and latent variance σ²(x) ≥ 0 (noise excluded) at one point; O(n²).</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> x)
    {
        var n = Count;
        var v = new double[n];
        for (var i = 0; i < n; i++)
        {
            v[i] = Kernel.Covariance(_inputs[i], x);
        }
        Cholesky.SolveLower([.. _lower], v);
        var mean = Mean + DenseKernels.Dot(v, CollectionsMarshal.AsSpan(_z));
        var variance = Kernel.Covariance(x, x) - DenseKernels.Dot(v, v);
        return (mean, Math.Max(variance, 0.0));
    }

    /// <summary>Posterior means only, μ_j = ȳ + Σ_i k(x_i, c_j)·α_i; O(n·m·d), parallel over points.</summary>
    public double[] PredictMeans(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var m = points.Count;
        var means = new double[m];
        if (m == 0)
        {
            return means;
        }
        var columns = new PointColumns(points, points[0].Length);
        var blocks = (m + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, block =>
        {
            var c0 = block * ColumnBlock;
            var width = Math.Min(ColumnBlock, m - c0);
            Span<double> k = stackalloc double[ColumnBlock];
            var target = means.AsSpan(c0, width);
            target.Fill(Mean);
            for (var i = 0; i < _inputs.Count; i++)
            {
                Kernel.CovarianceRow(_inputs[i], columns, c0, k[..width]);
                DenseKernels.Axpy(_alpha[i], k[..width], target);
            }
        });
        return means;
    }

    /// <summary>
    /// Joint posterior at m candidates: means, latent variances and V = L⁻¹K* (n×m row-major), computed by a blocked
    /// forward substitution over column blocks of 64 candidates (vectorised axpy; blocks in parallel). O(n²·m).
    /// </summary>
    public CandidatePosterior PredictBatch(IReadOnlyList<double[]> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var n = Count;
        var m = candidates.Count;
        var v = new double[n * m];
        var lower = _lower.ToArray();
        var columns = m > 0 ? new PointColumns(candidates, candidates[0].Length) : null;
        var blocks = (m + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, block =>
        {
            var c0 = block * ColumnBlock;
            var width = Math.Min(ColumnBlock, m - c0);
            var span = v.AsSpan();
            for (var i = 0; i < n; i++)
            {
                var target = span.Slice((i * m) + c0, width);
                Kernel.CovarianceRow(_inputs[i], columns!, c0, target);
                var row = lower[i];
                var k = 0;
                for (; k + 3 < i; k += 4)
                {
                    DenseKernels.Axpy4(
                        -row[k], span.Slice((k * m) + c0, width),
                        -row[k + 1], span.Slice(((k + 1) * m) + c0, width),
                        -row[k + 2], span.Slice(((k + 2) * m) + c0, width),
                        -row[k + 3], span.Slice(((k + 3) * m) + c0, width),
                        target);
                }
                for (; k < i; k++)
                {
                    DenseKernels.Axpy(-row[k], span.Slice((k * m) + c0, width), target);
                }
                var inverseDiagonal = 1.0 / row[i];
                for (var j = 0; j < width; j++)
                {
                    target[j] *= inverseDiagonal;
                }
            }
        });
        var means = new double[m];
        var variances = new double[m];
        for (var j = 0; j < m; j++)
        {
            variances[j] = Kernel.Covariance(candidates[j], candidates[j]);
            means[j] = Mean;
        }
        for (var i = 0; i < n; i++)
        {
            var rowV = v.AsSpan(i * m, m);
            DenseKernels.Axpy(_z[i], rowV, means);
            for (var j = 0; j < m; j++)
            {
                variances[j] -= rowV[j] * rowV[j];
            }
        }
        for (var j = 0; j < m; j++)
        {
            variances[j] = Math.Max(variances[j], 0.0);
        }
        return new CandidatePosterior(Kernel, Jitter, candidates, columns, v, n, means, variances);
    }
}
