using System.Numerics;
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
        if (points.Count == 0)
        {
            return [];
        }
        return CrossCovarianceTimes(_alpha, new PointColumns(points, points[0].Length), Mean);
    }

    /// <summary>offset + Σ_i w_i·k(x_i, c_j) for every point c_j; O(n·m·d), parallel over blocks of 64 points.</summary>
    internal double[] CrossCovarianceTimes(double[] weights, PointColumns points, double offset = 0.0)
    {
        var m = points.Count;
        var result = new double[m];
        var blocks = (m + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, block =>
        {
            var c0 = block * ColumnBlock;
            var width = Math.Min(ColumnBlock, m - c0);
            Span<double> k = stackalloc double[ColumnBlock];
            var target = result.AsSpan(c0, width);
            target.Fill(offset);
            for (var i = 0; i < _inputs.Count; i++)
            {
                Kernel.CovarianceRow(_inputs[i], points, c0, k[..width]);
                DenseKernels.Axpy(weights[i], k[..width], target);
            }
        });
        return result;
    }

    /// <summary>K⁻¹·b by two triangular solves, O(n²).</summary>
    internal double[] SolveCovariance(ReadOnlySpan<double> b)
    {
        var x = b.ToArray();
        var lower = _lower.ToArray();
        Cholesky.SolveLower(lower, x);
        Cholesky.SolveUpper(lower, x);
        return x;
    }

    /// <summary>k(x_i, c) for every training point.</summary>
    internal double[] CrossCovariance(ReadOnlySpan<double> c)
    {
        var result = new double[Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Kernel.Covariance(_inputs[i], c);
        }
        return result;
    }

    /// <summary>
    /// Latent variances k(c, c) − ‖L⁻¹k(X, c)‖² (not clamped at 0) at the points; O(n²·m).
    /// </summary>
    public double[] PredictVariances(IReadOnlyList<double[]> points, bool blocked = true)
    {
        ArgumentNullException.ThrowIfNull(points);
        var m = points.Count;
        if (m == 0)
        {
            return [];
        }
        var columns = new PointColumns(points, points[0].Length);
        var v = SolveCross(columns, m, blocked);
        var variances = new double[m];
        for (var j = 0; j < m; j++)
        {
            variances[j] = Kernel.Covariance(points[j], points[j]);
        }
        for (var i = 0; i < Count; i++)
        {
            var rowV = v.AsSpan(i * m, m);
            for (var j = 0; j < m; j++)
            {
                variances[j] -= rowV[j] * rowV[j];
            }
        }
        return variances;
    }

    /// <summary>
    /// The joint latent posterior covariance at the points, k(c_j, c_k) − (L⁻¹k(X, c_j))·(L⁻¹k(X, c_k)) (noise
    /// excluded); O(n²·m + n·m²).
    /// </summary>
    public double[,] PosteriorCovariance(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var m = points.Count;
        var covariance = new double[m, m];
        if (m == 0)
        {
            return covariance;
        }
        var v = SolveCross(new PointColumns(points, points[0].Length), m, blocked: true);
        for (var j = 0; j < m; j++)
        {
            for (var k = 0; k <= j; k++)
            {
                var c = Kernel.Covariance(points[j], points[k]);
                for (var i = 0; i < Count; i++)
                {
                    c -= v[(i * m) + j] * v[(i * m) + k];
                }
                covariance[j, k] = covariance[k, j] = c;
            }
        }
        return covariance;
    }

    /// <summary>Training points per group that enter a variance bound: the most informative about the group's anchor.</summary>
    public const int BoundLocalPoints = 48;

    /// <summary>Training points spread evenly over the index range added to every group's bound.</summary>
    public const int BoundSpreadPoints = 16;

    /// <summary>
    /// Upper bounds on the latent posterior variance at each candidate, O(s²) per candidate: the posterior variance
    /// given only a subset S of the training points is never below the one given all of them (conditioning a Gaussian
    /// on more data cannot raise its variance), so each candidate gets the variance given S_g of its group g —
    /// the <see cref="BoundLocalPoints"/> points whose single-point variance reduction k(a, x)²/(k(x, x) + σ²_n) at the
    /// group's anchor a is largest, plus <see cref="BoundSpreadPoints"/> points spread over the data — with the same
    /// noise and jitter. Inflated by a relative 1e-9 (plus 1e-12) against rounding. Falls back to the prior variance
    /// k(c, c) if a subset cannot be factorised.
    /// </summary>
    public double[] VarianceUpperBounds(IReadOnlyList<double[]> candidates, IReadOnlyList<int> groupOf, IReadOnlyList<double[]> anchors)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(groupOf);
        ArgumentNullException.ThrowIfNull(anchors);
        var m = candidates.Count;
        var bounds = new double[m];
        var n = Count;
        var members = new List<int>[anchors.Count];
        for (var j = 0; j < m; j++)
        {
            (members[groupOf[j]] ??= []).Add(j);
        }
        var selfCovariance = new double[n];
        for (var i = 0; i < n; i++)
        {
            selfCovariance[i] = Kernel.Covariance(_inputs[i], _inputs[i]) + Kernel.NoiseVarianceAt(_inputs[i]) + Jitter;
        }
        var training = n > 0 ? new PointColumns(_inputs, _inputs[0].Length) : null;
        Parallel.For(0, anchors.Count, g =>
        {
            if (members[g] is not { } group)
            {
                return;
            }
            var subset = BoundSubset(anchors[g], training, selfCovariance);
            var rows = new double[subset.Length][];
            for (var a = 0; a < subset.Length; a++)
            {
                var row = new double[a + 1];
                for (var b = 0; b < a; b++)
                {
                    row[b] = Kernel.Covariance(_inputs[subset[a]], _inputs[subset[b]]);
                }
                row[a] = selfCovariance[subset[a]];
                rows[a] = row;
            }
            var factored = Cholesky.TryFactorize(rows);
            var k = new double[subset.Length];
            foreach (var j in group)
            {
                var c = candidates[j];
                var prior = Kernel.Covariance(c, c);
                if (!factored)
                {
                    bounds[j] = prior;
                    continue;
                }
                for (var a = 0; a < subset.Length; a++)
                {
                    k[a] = Kernel.Covariance(_inputs[subset[a]], c);
                }
                Cholesky.SolveLower(rows, k);
                var bound = Math.Max(prior - DenseKernels.Dot(k, k), 0.0);
                bounds[j] = (bound * (1 + 1e-9)) + 1e-12;
            }
        });
        return bounds;
    }

    /// <summary>Indices (ascending) of the bound's subset for one anchor.</summary>
    private int[] BoundSubset(double[] anchor, PointColumns? training, double[] selfCovariance)
    {
        var n = Count;
        if (n <= BoundLocalPoints + BoundSpreadPoints)
        {
            return [.. Enumerable.Range(0, n)];
        }
        var covariance = new double[n];
        Kernel.CovarianceRow(anchor, training!, 0, covariance);
        var reduction = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            reduction[i] = -(covariance[i] * covariance[i] / selfCovariance[i]);
            order[i] = i;
        }
        Array.Sort(reduction, order);
        var chosen = new SortedSet<int>(order.Take(BoundLocalPoints));
        for (var q = 0; q < BoundSpreadPoints; q++)
        {
            chosen.Add((int)((long)q * n / BoundSpreadPoints));
        }
        return [.. chosen];
    }

    /// <summary>Candidate columns of one panel of the register-blocked solve (n × 32 doubles stay in L2).</summary>
    private const int PanelWidth = 32;

    /// <summary>
    /// V = L⁻¹·k(X, points), n×m row-major. With <paramref name="blocked"/> (the default) V is computed panel by panel
    /// (32 points, panels in parallel): each panel is packed contiguously and solved four rows at a time by a
    /// register-blocked kernel (4 rows × 2 vectors of accumulators; every load of an earlier row of V feeds four rows),
    /// then a 4 × 4 triangle. Without it, the earlier forward substitution over blocks of 64 points (the implementation
    /// before, kept for the latency benchmark's comparison). Both O(n²·m).
    /// </summary>
    private double[] SolveCross(PointColumns columns, int m, bool blocked)
    {
        var n = Count;
        var v = new double[n * m];
        var lower = _lower.ToArray();
        if (blocked && Vector.IsHardwareAccelerated && PanelWidth % (2 * Vector<double>.Count) == 0)
        {
            var panels = (m + PanelWidth - 1) / PanelWidth;
            Parallel.For(0, panels, panel => SolvePanel(lower, columns, panel * PanelWidth, Math.Min(PanelWidth, m - (panel * PanelWidth)), v, m));
        }
        else
        {
            SolveBySubstitution(lower, columns, v, n, m);
        }
        return v;
    }

    /// <summary>The forward substitution over blocks of 64 candidates (vectorised axpy; blocks in parallel).</summary>
    private void SolveBySubstitution(double[][] lower, PointColumns? columns, double[] v, int n, int m)
    {
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
    }

    /// <summary>
    /// V[:, c0 … c0 + width) = L⁻¹·K*[:, c0 …): K* packed into an n × <see cref="PanelWidth"/> buffer (zero-padded),
    /// rows solved four at a time — the update by all earlier rows is a 4 × 8 register-blocked product — then copied out.
    /// </summary>
    private void SolvePanel(double[][] lower, PointColumns columns, int c0, int width, double[] v, int m)
    {
        const int W = PanelWidth;
        var n = Count;
        var panel = new double[n * W];
        for (var i = 0; i < n; i++)
        {
            Kernel.CovarianceRow(_inputs[i], columns, c0, panel.AsSpan(i * W, width));
        }
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(panel.AsSpan());
        var perRow = W / Vector<double>.Count;
        var i0 = 0;
        for (; i0 + 3 < n; i0 += 4)
        {
            double[] l0 = lower[i0], l1 = lower[i0 + 1], l2 = lower[i0 + 2], l3 = lower[i0 + 3];
            for (var q = 0; q < perRow; q += 2)
            {
                var b0 = (i0 * perRow) + q;
                var b1 = b0 + perRow;
                var b2 = b1 + perRow;
                var b3 = b2 + perRow;
                Vector<double> a00 = vectors[b0], a01 = vectors[b0 + 1], a10 = vectors[b1], a11 = vectors[b1 + 1];
                Vector<double> a20 = vectors[b2], a21 = vectors[b2 + 1], a30 = vectors[b3], a31 = vectors[b3 + 1];
                for (var k = 0; k < i0; k++)
                {
                    var at = (k * perRow) + q;
                    var x0 = vectors[at];
                    var x1 = vectors[at + 1];
                    var c = new Vector<double>(-l0[k]);
                    a00 = Vector.FusedMultiplyAdd(c, x0, a00);
                    a01 = Vector.FusedMultiplyAdd(c, x1, a01);
                    c = new Vector<double>(-l1[k]);
                    a10 = Vector.FusedMultiplyAdd(c, x0, a10);
                    a11 = Vector.FusedMultiplyAdd(c, x1, a11);
                    c = new Vector<double>(-l2[k]);
                    a20 = Vector.FusedMultiplyAdd(c, x0, a20);
                    a21 = Vector.FusedMultiplyAdd(c, x1, a21);
                    c = new Vector<double>(-l3[k]);
                    a30 = Vector.FusedMultiplyAdd(c, x0, a30);
                    a31 = Vector.FusedMultiplyAdd(c, x1, a31);
                }
                vectors[b0] = a00;
                vectors[b0 + 1] = a01;
                vectors[b1] = a10;
                vectors[b1 + 1] = a11;
                vectors[b2] = a20;
                vectors[b2 + 1] = a21;
                vectors[b3] = a30;
                vectors[b3 + 1] = a31;
            }
            for (var r = 0; r < 4; r++)
            {
                FinishPanelRow(lower[i0 + r], panel, i0 + r, i0);
            }
        }
        for (; i0 < n; i0++)
        {
            FinishPanelRow(lower[i0], panel, i0, 0);
        }
        for (var i = 0; i < n; i++)
        {
            panel.AsSpan(i * W, width).CopyTo(v.AsSpan((i * m) + c0, width));
        }
    }

    /// <summary>Row i of the panel −= Σ_{k ∈ [from, i)} L_ik·(row k), then ÷ L_ii.</summary>
    private static void FinishPanelRow(double[] row, double[] panel, int i, int from)
    {
        const int W = PanelWidth;
        var target = panel.AsSpan(i * W, W);
        for (var k = from; k < i; k++)
        {
            DenseKernels.Axpy(-row[k], panel.AsSpan(k * W, W), target);
        }
        var inverseDiagonal = 1.0 / row[i];
        for (var j = 0; j < W; j++)
        {
            target[j] *= inverseDiagonal;
        }
    }
}
