namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Exact GP regression with a constant mean ȳ (the targets' sample mean; the GP proper is zero-mean on y − ȳ),
/// factorised once by Cholesky (K = L·Lᵀ, see the glossary in Notation.cs). Points can be appended in O(n²) — used for
/// fantasies of outstanding suggestions. Construction returns null (never throws) if K cannot be factorised even
/// after escalating the jitter.
/// </summary>
internal sealed partial class GaussianProcess
{
    private readonly List<double[]> _inputs;
    private readonly List<double[]> _lower;
    private readonly List<double> _z;
    private double[] _alpha;

    private GaussianProcess(IKernel kernel, double[] parameters, List<double[]> inputs, List<double[]> lower, List<double> z, double mean, double jitter)
    {
        Kernel = kernel;
        Parameters = parameters;
        _inputs = inputs;
        _lower = lower;
        _z = z;
        Mean = mean;
        Jitter = jitter;
        _alpha = ComputeAlpha();
    }

    public IKernel Kernel { get; }

    /// <summary>θ this model was built with.</summary>
    public double[] Parameters { get; }

    /// <summary>ȳ.</summary>
    public double Mean { get; }

    /// <summary>ε actually used on the diagonal.</summary>
    public double Jitter { get; }

    public int Count => _inputs.Count;

    /// <summary>
    /// Builds and factorises the GP; <paramref name="mean"/> overrides ȳ (e.g. 0 for a strictly zero-mean model).
    /// Returns null if K is not positive definite with jitter up to <see cref="Notation.MaxJitter"/>·(1 + σ²_n).
    /// </summary>
    public static GaussianProcess? TryCreate(IKernelFamily family, ReadOnlySpan<double> theta, IReadOnlyList<double[]> inputs, IReadOnlyList<double> targets, double? mean = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count != targets.Count)
        {
            throw new ArgumentException("Inputs and targets differ in length.", nameof(targets));
        }
        var factor = CovarianceFactor.TryCreate(family, theta, inputs);
        return factor is null ? null : FromFactor(factor, targets, mean);
    }

    /// <summary>
    /// The GP over <paramref name="factor"/>'s inputs with these targets: only z = L⁻¹(y − ȳ) and α are computed, O(n²).
    /// The model gets its own row lists, so fantasies appended to it never reach the (cached) factor.
    /// </summary>
    public static GaussianProcess FromFactor(CovarianceFactor factor, IReadOnlyList<double> targets, double? mean = null)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(targets);
        if (factor.Count != targets.Count)
        {
            throw new ArgumentException("The factor's inputs and the targets differ in length.", nameof(targets));
        }
        var ybar = mean ?? (targets.Count > 0 ? targets.Average() : 0.0);
        var rows = factor.Rows.ToArray();
        var z = new double[targets.Count];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = targets[i] - ybar;
        }
        Cholesky.SolveLower(rows, z);
        return new GaussianProcess(factor.Kernel, (double[])factor.Parameters.Clone(), [.. factor.Inputs], [.. rows], [.. z], ybar, factor.Jitter);
    }

    /// <summary>
    /// Adds one observation (x, y) in O(n²) by extending L with one row. A row shorter than the training rows (a
    /// candidate without the noise covariate t of a cost-dependent noise, e.g. a fantasy) gets the reference t = 1.
    /// </summary>
    public void Append(double[] x, double y)
    {
        ArgumentNullException.ThrowIfNull(x);
        var n = Count;
        if (n > 0 && x.Length < _inputs[0].Length)
        {
            var padded = new double[_inputs[0].Length];
            Array.Fill(padded, 1.0);
            x.CopyTo(padded, 0);
            x = padded;
        }
        var row = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            row[i] = Kernel.Covariance(_inputs[i], x);
        }
        var lowerRows = _lower.ToArray();
        Cholesky.SolveLower(lowerRows, row.AsSpan(0, n));
        var pivot = Kernel.Covariance(x, x) + Kernel.NoiseVarianceAt(x) + Jitter - DenseKernels.Dot(row.AsSpan(0, n), row.AsSpan(0, n));
        row[n] = Math.Sqrt(Math.Max(pivot, Jitter));
        var zNew = (y - Mean - DenseKernels.Dot(row.AsSpan(0, n), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_z))) / row[n];
        _inputs.Add(x);
        _lower.Add(row);
        _z.Add(zNew);
        _alpha = ComputeAlpha();
    }

    /// <summary>K (lower triangle, jagged rows) with σ²_n(x_i) + ε on the diagonal; rows filled in parallel.</summary>
    internal static double[][] BuildCovariance(IKernel kernel, IReadOnlyList<double[]> inputs, double jitter)
    {
        var n = inputs.Count;
        var rows = new double[n][];
        if (n == 0)
        {
            return rows;
        }
        var columns = new PointColumns(inputs, inputs[0].Length);
        void FillRow(int i)
        {
            var row = new double[i + 1];
            kernel.CovarianceRow(inputs[i], columns, 0, row);
            row[i] += kernel.NoiseVarianceAt(inputs[i]) + jitter;
            rows[i] = row;
        }
        if (n >= 512)
        {
            Parallel.For(0, n, FillRow);
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                FillRow(i);
            }
        }
        return rows;
    }

    private double[] ComputeAlpha()
    {
        var alpha = _z.ToArray();
        Cholesky.SolveUpper([.. _lower], alpha);
        return alpha;
    }
}
