namespace Levain.Tuning.GaussianProcesses;

/// <summary>A covariance function with fixed hyperparameters θ (exponentials precomputed once).</summary>
internal interface IKernel
{
    /// <summary>σ²_n (with a cost-dependent noise: the noise at the reference t = 1, the most expensive observation).</summary>
    double NoiseVariance { get; }

    /// <summary>
    /// σ²_n of the observation at row <paramref name="x"/>: <see cref="NoiseVariance"/> unless the kernel reads a noise
    /// covariate from a column past the kernel's own (a row without it — a candidate, a fantasy — gets NoiseVariance).
    /// </summary>
    double NoiseVarianceAt(ReadOnlySpan<double> x) => NoiseVariance;

    /// <summary>Adds weight · ∂σ²_n(x)/∂θ into <paramref name="gradient"/> (the noise part of the likelihood gradient).</summary>
    void AccumulateNoiseGradient(ReadOnlySpan<double> x, double weight, Span<double> gradient) =>
        gradient[^1] += weight * (NoiseVariance - Notation.NoiseFloor);

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
