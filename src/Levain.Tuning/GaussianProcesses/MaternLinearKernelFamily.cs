namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// k(x, x′) = σ²_lin·Σ_j x_j x′_j + σ²_m·(1 + √3 r)·exp(−√3 r)·exp(−Σ_c w_c·[x_c ≠ x′_c]) over dc continuous columns
/// (ARD lengthscales ℓ_j) and dk categorical columns (exact-match weights w_c).
/// θ = [ln ℓ_0 … ln ℓ_{dc−1}, ln σ²_m, ln σ²_lin, ln w_0 … ln w_{dk−1}, ln σ²_n].
/// Weak priors (inputs in basic units, targets standardised): ln ℓ ~ N(ln 1, 1.5²), ln σ²_m ~ N(0, 1.5²),
/// ln σ²_lin ~ N(ln 0.01, 2²), ln w ~ N(ln 1, 1.5²), ln σ²_n ~ N(ln 0.01, 2²).
/// With a cost-dependent noise, input rows carry one more column t ∈ [0, 1] (the observation's ln cost scaled over the
/// data; the kernel ignores it) and σ²_n(t) = exp(θ_n + θ_t·(t − 1)) + σ²_floor, so θ_n is the noise of the most expensive
/// observation and θ_t (just before θ_n, prior N(0, 2²): homoscedastic is the default belief) how much it grows
/// (θ_t &lt; 0) toward the cheapest. Rows without the column (candidates, fantasies) get σ²_n(1).
/// </summary>
internal sealed class MaternLinearKernelFamily : IKernelFamily
{
    private static readonly LogNormalPrior LengthscalePrior = new(0.0, 1.5);
    private static readonly LogNormalPrior AmplitudePrior = new(0.0, 1.5);
    private static readonly LogNormalPrior LinearPrior = new(Math.Log(0.01), 2.0);
    private static readonly LogNormalPrior CategoricalPrior = new(0.0, 1.5);
    private static readonly LogNormalPrior NoisePrior = new(Math.Log(0.01), 2.0);
    private static readonly LogNormalPrior NoiseSlopePrior = new(0.0, 2.0);
    private readonly double _initialLengthscale;

    public MaternLinearKernelFamily(int continuousDimension, int categoricalDimension, double initialLengthscale, bool costDependentNoise = false)
    {
        CostDependentNoise = costDependentNoise;
        ArgumentOutOfRangeException.ThrowIfNegative(continuousDimension);
        ArgumentOutOfRangeException.ThrowIfNegative(categoricalDimension);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialLengthscale, 0.0);
        ContinuousDimension = continuousDimension;
        CategoricalDimension = categoricalDimension;
        _initialLengthscale = initialLengthscale;
    }

    public int ContinuousDimension { get; }

    public int CategoricalDimension { get; }

    /// <summary>Rows carry a noise covariate t in column <see cref="NoiseColumn"/> and θ has the slope θ_t.</summary>
    public bool CostDependentNoise { get; }

    public int InputDimension => ContinuousDimension + CategoricalDimension + (CostDependentNoise ? 1 : 0);

    public int ParameterCount => ContinuousDimension + CategoricalDimension + (CostDependentNoise ? 4 : 3);

    /// <summary>The column of t (after the kernel's own columns).</summary>
    internal int NoiseColumn => ContinuousDimension + CategoricalDimension;

    /// <summary>θ_t's index (only with <see cref="CostDependentNoise"/>).</summary>
    internal int NoiseSlopeIndex => ParameterCount - 2;

    internal int AmplitudeIndex => ContinuousDimension;

    internal int LinearIndex => ContinuousDimension + 1;

    internal int CategoricalStart => ContinuousDimension + 2;

    internal int NoiseIndex => ParameterCount - 1;

    public double[] InitialParameters()
    {
        var theta = new double[ParameterCount];
        for (var j = 0; j < ContinuousDimension; j++)
        {
            theta[j] = Math.Log(_initialLengthscale);
        }
        theta[AmplitudeIndex] = 0.0;
        theta[LinearIndex] = Math.Log(0.01);
        for (var c = 0; c < CategoricalDimension; c++)
        {
            theta[CategoricalStart + c] = 0.0;
        }
        theta[NoiseIndex] = Math.Log(0.01);
        return theta; // θ_t starts at 0 (homoscedastic)
    }

    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var total = 0.0;
        for (var j = 0; j < ContinuousDimension; j++)
        {
            total += LengthscalePrior.Evaluate(theta[j], ref gradient[j]);
        }
        total += AmplitudePrior.Evaluate(theta[AmplitudeIndex], ref gradient[AmplitudeIndex]);
        total += LinearPrior.Evaluate(theta[LinearIndex], ref gradient[LinearIndex]);
        for (var c = 0; c < CategoricalDimension; c++)
        {
            total += CategoricalPrior.Evaluate(theta[CategoricalStart + c], ref gradient[CategoricalStart + c]);
        }
        total += NoisePrior.Evaluate(theta[NoiseIndex], ref gradient[NoiseIndex]);
        if (CostDependentNoise)
        {
            total += NoiseSlopePrior.Evaluate(theta[NoiseSlopeIndex], ref gradient[NoiseSlopeIndex]);
        }
        return total;
    }

    public IKernel Bind(ReadOnlySpan<double> theta)
    {
        if (theta.Length != ParameterCount)
        {
            throw new ArgumentException($"This kernel has {ParameterCount} hyperparameters, not {theta.Length}.", nameof(theta));
        }
        return new MaternLinearKernel(this, theta);
    }
}
