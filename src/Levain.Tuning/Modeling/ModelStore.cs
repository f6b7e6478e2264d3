using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Modeling;

/// <summary>
/// What a tuner keeps of its surrogates between suggestions: each model's last fitted θ (warm start and, between
/// refits, the θ in force), the number of points it was fitted on (for <see cref="RefitSchedule"/>; both saved in the
/// tuner state) and, in memory only, each model's Cholesky factor of K to extend by the new rows. With
/// <see cref="Incremental"/> off every suggestion refits θ and factorises K from scratch (the behaviour before
/// incremental factorisation, kept for the latency benchmark's comparison).
/// </summary>
internal sealed class ModelStore(Dictionary<string, double[]> hyperparameters, Dictionary<string, int> fitCounts, bool incremental)
{
    private readonly Dictionary<string, CovarianceFactor> _factors = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public Dictionary<string, double[]> Hyperparameters => hyperparameters;

    public Dictionary<string, int> FitCounts => fitCounts;

    public bool Incremental => incremental;

    /// <summary>
    /// A fit job for model <paramref name="name"/> over <paramref name="inputs"/>: θ refitted (warm-started from the
    /// previous θ, on the points of <paramref name="subset"/>) when <see cref="RefitSchedule"/> says so or the store is
    /// not incremental; otherwise the previous θ with the cached factor extended.
    /// </summary>
    public ModelFitJob NewJob(string name, IKernelFamily family, List<double[]> inputs, List<double> targets, int[] subset)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(inputs);
        var warm = hyperparameters.TryGetValue(name, out var previous) && previous.Length == family.ParameterCount ? previous : null;
        int? fittedAt = fitCounts.TryGetValue(name, out var count) ? count : null;
        var refit = !incremental || warm is null || RefitSchedule.IsDue(inputs.Count, fittedAt);
        var iterations = warm is null ? BayesianProposer.ColdIterations : BayesianProposer.WarmIterations;
        CovarianceFactor? cached = null;
        if (incremental)
        {
            lock (_gate)
            {
                _factors.TryGetValue(name, out cached);
            }
        }
        return new ModelFitJob(name, family, inputs, targets, subset, warm, iterations, refit, cached);
    }

    /// <summary>Records a finished job: its θ, the point count if θ was refitted, and its factor for the next suggestion.</summary>
    public void Commit(ModelFitJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            hyperparameters[job.Name] = job.Parameters;
            if (job.Refitted)
            {
                fitCounts[job.Name] = job.Count;
            }
            if (incremental && job.Factor is { } factor)
            {
                _factors[job.Name] = factor;
            }
        }
    }

    /// <summary>The cached factor of a model (tests and diagnostics).</summary>
    internal CovarianceFactor? FactorOf(string name)
    {
        lock (_gate)
        {
            return _factors.GetValueOrDefault(name);
        }
    }
}
