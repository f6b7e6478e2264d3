namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// A parametric covariance function: how many log-space hyperparameters θ it has (log σ²_n is always last), where
/// fitting starts, its weak prior, and a kernel bound to one θ.
/// </summary>
internal interface IKernelFamily
{
    /// <summary>Length of an input row (d).</summary>
    int InputDimension { get; }

    /// <summary>p = length of θ, including the noise.</summary>
    int ParameterCount { get; }

    /// <summary>θ where a cold fit starts.</summary>
    double[] InitialParameters();

    /// <summary>ln p(θ) (up to a constant); adds ∂ ln p(θ)/∂θ into <paramref name="gradient"/>.</summary>
    double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient);

    IKernel Bind(ReadOnlySpan<double> theta);
}
