using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Modeling;

/// <summary>
/// One surrogate to fit: hyperparameters by L-BFGS on a bounded random subset (warm-started from the previous fit),
/// then one exact GP over all points. The subset is chosen by the caller (the tuner's RNG) so jobs can run in parallel
/// deterministically.
/// </summary>
internal sealed class ModelFitJob(string name, IKernelFamily family, List<double[]> inputs, List<double> targets, int[] subset, double[]? warmStart, int maxIterations)
{
    public string Name => name;

    public GaussianProcess? Model { get; private set; }

    public double[] Parameters { get; private set; } = [];

    public string? Problem { get; private set; }

    public LbfgsResult? Fit { get; private set; }

    public void Run()
    {
        var subsetInputs = subset.Select(i => inputs[i]).ToArray();
        var subsetTargets = subset.Select(i => targets[i]).ToArray();
        var fit = GaussianProcess.FitParameters(family, subsetInputs, subsetTargets, warmStart, maxIterations);
        Fit = fit;
        var theta = double.IsFinite(fit.Value) ? fit.Point : (warmStart ?? family.InitialParameters());
        Model = GaussianProcess.TryCreate(family, theta, inputs, targets);
        if (Model is null)
        {
            Problem = $"{name} model: covariance not positive definite with fitted hyperparameters; retried with defaults";
            theta = family.InitialParameters();
            Model = GaussianProcess.TryCreate(family, theta, inputs, targets);
        }
        if (Model is null)
        {
            Problem = $"{name} model: covariance not positive definite even with default hyperparameters";
        }
        Parameters = theta;
    }
}
