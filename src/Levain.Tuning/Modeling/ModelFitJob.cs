using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Modeling;

/// <summary>
/// One surrogate to fit: when <paramref name="refit"/>, hyperparameters by L-BFGS on a bounded random subset
/// (warm-started from the previous fit), else the previous θ kept; then one exact GP over all points, whose factor of
/// K extends <paramref name="cached"/> when that was built with the same θ on a prefix of the inputs, and is computed
/// from scratch otherwise. The subset is chosen by the caller so jobs can run in parallel deterministically.
/// </summary>
internal sealed class ModelFitJob(
    string name,
    IKernelFamily family,
    List<double[]> inputs,
    List<double> targets,
    int[] subset,
    double[]? warmStart,
    int maxIterations,
    bool refit = true,
    CovarianceFactor? cached = null)
{
    public string Name => name;

    public GaussianProcess? Model { get; private set; }

    public double[] Parameters { get; private set; } = [];

    public string? Problem { get; private set; }

    public LbfgsResult? Fit { get; private set; }

    /// <summary>True when θ was fitted in this job (false: the previous θ was kept).</summary>
    public bool Refitted => refit || warmStart is null;

    /// <summary>Points in the model.</summary>
    public int Count => inputs.Count;

    /// <summary>The factor of K the model was built on (null if none could be built).</summary>
    public CovarianceFactor? Factor { get; private set; }

    /// <summary>True when the factor was the cached one extended by the new rows.</summary>
    public bool ReusedFactor { get; private set; }

    public void Run()
    {
        double[] theta;
        if (Refitted)
        {
            var subsetInputs = subset.Select(i => inputs[i]).ToArray();
            var subsetTargets = subset.Select(i => targets[i]).ToArray();
            var fit = GaussianProcess.FitParameters(family, subsetInputs, subsetTargets, warmStart, maxIterations);
            Fit = fit;
            theta = double.IsFinite(fit.Value) ? fit.Point : (warmStart ?? family.InitialParameters());
        }
        else
        {
            theta = warmStart!;
        }
        var factor = Factorize(theta);
        if (factor is null)
        {
            Problem = $"{name} model: covariance not positive definite with fitted hyperparameters; retried with defaults";
            theta = family.InitialParameters();
            factor = Factorize(theta);
        }
        if (factor is null)
        {
            Problem = $"{name} model: covariance not positive definite even with default hyperparameters";
        }
        Factor = factor;
        Model = factor is null ? null : GaussianProcess.FromFactor(factor, targets);
        Parameters = theta;
    }

    private CovarianceFactor? Factorize(double[] theta)
    {
        if (cached is not null && cached.Matches(theta) && cached.TryExtend(inputs))
        {
            ReusedFactor = true;
            return cached;
        }
        ReusedFactor = false;
        return CovarianceFactor.TryCreate(family, theta, inputs);
    }
}
