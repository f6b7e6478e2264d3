namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// The joint posterior at m fixed candidates with exact means and, per candidate, either its exact latent variance or
/// an upper bound on it (<see cref="GaussianProcess.VarianceUpperBounds"/>); exact variances are computed on demand, a
/// few candidates at a time (<see cref="EnsureExact"/>), so a search that needs the best candidate under a score that
/// rises with the variance solves only those whose bound can still win. Conditioning on a fantasy at one candidate is
/// exact for the means and for exact variances and keeps bounds valid: with u = K⁻¹k(X, c_p), the posterior covariance
/// is cov_j = k(c_p, c_j) − Σ_i u_i·k(x_i, c_j) − Σ_r w_rp·w_rj over earlier conditionings r; with
/// d = √(σ²_p + σ²_n + ε) the new row is w_j = cov_j/d, μ_j += w_j·(y − μ_p)/d and σ²_j −= w_j² (a bound U_j ≥ σ²_j
/// becomes U_j − w_j², still ≥ the new σ²_j). O(n·m·d + n²) per conditioning; no n×m matrix is kept.
/// </summary>
internal sealed class LazyCandidatePosterior
{
    private readonly GaussianProcess _model;
    private readonly IReadOnlyList<double[]> _candidates;
    private readonly PointColumns _columns;
    private readonly bool _blocked;
    private readonly double[] _variance;
    private readonly bool[] _exact;
    private readonly List<double[]> _conditionings = [];

    /// <summary>
    /// With <paramref name="bounds"/> null every variance is computed exactly at once (the eager posterior); otherwise
    /// they are the starting upper bounds (the prior variances k(c, c) are always valid ones; see
    /// <see cref="TightenBounds"/>).
    /// </summary>
    public LazyCandidatePosterior(GaussianProcess model, IReadOnlyList<double[]> candidates, double[]? bounds, bool blocked = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("At least one candidate is needed.", nameof(candidates));
        }
        _model = model;
        _candidates = candidates;
        _blocked = blocked;
        _columns = new PointColumns(candidates, candidates[0].Length);
        Means = model.PredictMeans(candidates);
        _exact = new bool[candidates.Count];
        if (bounds is null)
        {
            _variance = new double[candidates.Count];
            EnsureExact([.. Enumerable.Range(0, candidates.Count)]);
        }
        else
        {
            _variance = (double[])bounds.Clone();
        }
    }

    public int Count => _candidates.Count;

    /// <summary>μ_j, updated by <see cref="Condition"/>.</summary>
    public double[] Means { get; }

    /// <summary>Candidates whose variance has been computed exactly (diagnostics and tests).</summary>
    public int ExactCount => _exact.Count(e => e);

    public bool IsExact(int index) => _exact[index];

    /// <summary>The exact latent variance (≥ 0) when computed, else an upper bound on it.</summary>
    public double VarianceBound(int index) => _variance[index];

    /// <summary>The exact latent variance σ²_j ≥ 0 (computed now if needed).</summary>
    public double Variance(int index)
    {
        if (!_exact[index])
        {
            EnsureExact([index]);
        }
        return _variance[index];
    }

    /// <summary>Computes the exact variances of the listed candidates not yet exact, in one batch.</summary>
    public void EnsureExact(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pending = indices.Where(j => !_exact[j]).Distinct().ToArray();
        if (pending.Length == 0)
        {
            return;
        }
        var variances = _model.PredictVariances([.. pending.Select(j => _candidates[j])], _blocked);
        for (var q = 0; q < pending.Length; q++)
        {
            var j = pending[q];
            var variance = Math.Max(variances[q], 0.0);
            foreach (var w in _conditionings)
            {
                variance = Math.Max(variance - (w[j] * w[j]), 0.0);
            }
            _variance[j] = variance;
            _exact[j] = true;
        }
    }

    /// <summary>The prior variances k(c_j, c_j): valid, loose variance bounds.</summary>
    public static double[] PriorVariances(GaussianProcess model, IReadOnlyList<double[]> candidates)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Select(c => model.Kernel.Covariance(c, c))];
    }

    /// <summary>
    /// Replaces the bounds of candidates not yet exact by <paramref name="bounds"/> (bounds on the variance before any
    /// conditioning) where that is tighter, after applying the conditionings made so far.
    /// </summary>
    public void TightenBounds(double[] bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (var j = 0; j < Count; j++)
        {
            if (_exact[j])
            {
                continue;
            }
            var bound = bounds[j];
            foreach (var w in _conditionings)
            {
                bound = Math.Max(bound - (w[j] * w[j]), 0.0);
            }
            _variance[j] = Math.Min(_variance[j], bound);
        }
    }

    /// <summary>Conditions the joint posterior on observing <paramref name="value"/> (with noise) at candidate <paramref name="index"/>.</summary>
    public void Condition(int index, double value)
    {
        var m = Count;
        var at = _candidates[index];
        var variance = Variance(index);
        var u = _model.SolveCovariance(_model.CrossCovariance(at));
        var explained = _model.CrossCovarianceTimes(u, _columns);
        var covariance = new double[m];
        _model.Kernel.CovarianceRow(at, _columns, 0, covariance);
        for (var j = 0; j < m; j++)
        {
            covariance[j] -= explained[j];
        }
        foreach (var row in _conditionings)
        {
            DenseKernels.Axpy(-row[index], row, covariance);
        }
        var d = Math.Sqrt(variance + _model.Kernel.NoiseVariance + _model.Jitter);
        var innovation = (value - Means[index]) / d;
        var w = new double[m];
        for (var j = 0; j < m; j++)
        {
            w[j] = covariance[j] / d;
            Means[j] += w[j] * innovation;
            _variance[j] = Math.Max(_variance[j] - (w[j] * w[j]), 0.0);
        }
        _conditionings.Add(w);
    }
}
