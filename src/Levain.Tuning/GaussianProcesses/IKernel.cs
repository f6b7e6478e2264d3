namespace Levain.Tuning.GaussianProcesses;

/// <summary>A covariance function with fixed hyperparameters θ (exponentials precomputed once).</summary>
internal interface IKernel
{
    /// <summary>σ²_n.</summary>
    double NoiseVariance { get; }

    /// <summary>k(a, b) without noise.</summary>
    double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b);

    /// <summary>result[j] = k(x, points[start + j]) for j &lt; result.Length (noise excluded).</summary>
    void CovarianceRow(ReadOnlySpan<double> x, PointColumns points, int start, Span<double> result);

    /// <summary>
    /// Adds Σ_j weights[j] · ∂k(x, points[j])/∂θ over the first weights.Length points (noise excluded) into
    /// <paramref name="gradient"/>: one row of the marginal-likelihood gradient.
    /// </summary>
    void AccumulateGradientRow(ReadOnlySpan<double> x, PointColumns points, ReadOnlySpan<double> weights, Span<double> gradient);

    /// <summary>Adds weight · ∂k(a, b)/∂θ (noise excluded) into <paramref name="gradient"/> (length p).</summary>
    void AccumulateGradient(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double weight, Span<double> gradient);
}
