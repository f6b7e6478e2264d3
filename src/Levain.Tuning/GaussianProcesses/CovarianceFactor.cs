using System.Runtime.InteropServices;

namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// The lower Cholesky factor L of K = k(X, X) + (σ²_n + ε)·I for one bound kernel (one θ), kept between suggestions and
/// grown by one row per appended input in O(n²) (<see cref="TryExtend"/>). It depends only on the inputs and θ — never
/// on the targets — so a model whose targets change with every observation (a rank-based output transform) reuses it
/// and only recomputes z = L⁻¹(y − ȳ) and α = L⁻ᵀz. Rows are computed with exactly the arithmetic of a fresh
/// factorisation (<see cref="Cholesky.TryFactorizeRow"/>), so a grown factor equals, bit for bit, the factor a rebuilt
/// tuner computes from scratch for the same inputs and θ.
/// </summary>
internal sealed class CovarianceFactor
{
    private readonly List<double[]> _inputs;
    private readonly List<double[]> _rows;

    private CovarianceFactor(IKernel kernel, double[] parameters, double jitter, List<double[]> inputs, List<double[]> rows)
    {
        Kernel = kernel;
        Parameters = parameters;
        Jitter = jitter;
        _inputs = inputs;
        _rows = rows;
    }

    public IKernel Kernel { get; }

    /// <summary>θ the kernel was bound with.</summary>
    public double[] Parameters { get; }

    /// <summary>ε on the diagonal.</summary>
    public double Jitter { get; }

    public int Count => _inputs.Count;

    /// <summary>Rows appended by <see cref="TryExtend"/> since creation (diagnostics and tests).</summary>
    public int AppendedRows { get; private set; }

    internal IReadOnlyList<double[]> Inputs => _inputs;

    internal IReadOnlyList<double[]> Rows => _rows;

    /// <summary>
    /// Factorises K from scratch with jitter ε = <see cref="Notation.Jitter"/>, escalated ×10 up to
    /// <see cref="Notation.MaxJitter"/> while K is not numerically positive definite; null if it never is.
    /// </summary>
    public static CovarianceFactor? TryCreate(IKernelFamily family, ReadOnlySpan<double> theta, IReadOnlyList<double[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(inputs);
        var kernel = family.Bind(theta);
        for (var jitter = Notation.Jitter; jitter <= Notation.MaxJitter * 1.0001; jitter *= 10)
        {
            var rows = GaussianProcess.BuildCovariance(kernel, inputs, jitter);
            if (Cholesky.TryFactorize(rows))
            {
                return new CovarianceFactor(kernel, theta.ToArray(), jitter, [.. inputs], [.. rows]);
            }
        }
        return null;
    }

    /// <summary>True when this factor was built with exactly <paramref name="theta"/>.</summary>
    public bool Matches(ReadOnlySpan<double> theta) => theta.SequenceEqual(Parameters);

    /// <summary>
    /// Brings the factor to <paramref name="inputs"/> when its own inputs are their leading rows (same values, same
    /// order), appending one row per new input in O(n²). False — and the factor unchanged — when they are not a prefix
    /// (an observation removed or reordered, a space changed) or a new pivot is not positive at this jitter: the caller
    /// then factorises from scratch, which escalates the jitter exactly as a rebuilt tuner would.
    /// </summary>
    public bool TryExtend(IReadOnlyList<double[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = _inputs.Count;
        if (inputs.Count < n)
        {
            return false;
        }
        for (var i = 0; i < n; i++)
        {
            if (!ReferenceEquals(inputs[i], _inputs[i]) && !inputs[i].AsSpan().SequenceEqual(_inputs[i]))
            {
                return false;
            }
        }
        if (inputs.Count == n)
        {
            return true;
        }
        var columns = new PointColumns(inputs, inputs[0].Length);
        for (var i = n; i < inputs.Count; i++)
        {
            var row = new double[i + 1];
            Kernel.CovarianceRow(inputs[i], columns, 0, row);
            row[i] += Kernel.NoiseVarianceAt(inputs[i]) + Jitter;
            _rows.Add(row);
            if (!Cholesky.TryFactorizeRow(CollectionsMarshal.AsSpan(_rows), i))
            {
                _rows.RemoveRange(n, _rows.Count - n);
                return false;
            }
        }
        for (var i = n; i < inputs.Count; i++)
        {
            _inputs.Add(inputs[i]);
        }
        AppendedRows += inputs.Count - n;
        return true;
    }
}
