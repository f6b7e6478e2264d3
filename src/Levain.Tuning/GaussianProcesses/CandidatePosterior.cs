namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// The joint posterior at a fixed set of m candidates that can be conditioned on a value at one of them in O(n·m)
/// (the "add the chosen point as a fantasy" step of a diverse batch). Keeps V (n×m) plus one row per conditioning:
/// for a new point p with posterior covariance cov_j = k(c_p, c_j) − Σ_r V_rp·V_rj and d = √(σ²_p + σ²_n + ε),
/// the new row is w_j = cov_j / d; then μ_j += w_j·(y − μ_p)/d and σ²_j −= w_j².
/// </summary>
internal sealed class CandidatePosterior
{
    private readonly IKernel _kernel;
    private readonly double _jitter;
    private readonly IReadOnlyList<double[]> _candidates;
    private readonly PointColumns? _columns;
    private readonly double[] _v;
    private readonly int _rows;
    private readonly List<double[]> _extraRows = [];

    public CandidatePosterior(IKernel kernel, double jitter, IReadOnlyList<double[]> candidates, PointColumns? columns, double[] v, int rows, double[] means, double[] variances)
    {
        _kernel = kernel;
        _jitter = jitter;
        _candidates = candidates;
        _columns = columns;
        _v = v;
        _rows = rows;
        Means = means;
        Variances = variances;
    }

    public int Count => _candidates.Count;

    /// <summary>μ_j, updated by <see cref="Condition"/>.</summary>
    public double[] Means { get; }

    /// <summary>Latent σ²_j ≥ 0, updated by <see cref="Condition"/>.</summary>
    public double[] Variances { get; }

    /// <summary>Conditions the joint posterior on observing <paramref name="value"/> (with noise) at candidate <paramref name="index"/>.</summary>
    public void Condition(int index, double value)
    {
        var m = Count;
        var covariance = new double[m];
        _kernel.CovarianceRow(_candidates[index], _columns!, 0, covariance);
        for (var r = 0; r < _rows; r++)
        {
            var row = _v.AsSpan(r * m, m);
            DenseKernels.Axpy(-row[index], row, covariance);
        }
        foreach (var row in _extraRows)
        {
            DenseKernels.Axpy(-row[index], row, covariance);
        }
        var d = Math.Sqrt(Variances[index] + _kernel.NoiseVariance + _jitter);
        var innovation = (value - Means[index]) / d;
        var w = new double[m];
        for (var j = 0; j < m; j++)
        {
            w[j] = covariance[j] / d;
            Means[j] += w[j] * innovation;
            Variances[j] = Math.Max(Variances[j] - (w[j] * w[j]), 0.0);
        }
        _extraRows.Add(w);
    }
}
