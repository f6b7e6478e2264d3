using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The four GPs of docs/tuner.md A5 fitted for one suggest call — output (transformed outputs of successes), cost
/// (transformed log costs of successes), success (±1 labels of all observations, only when both kinds exist) and the
/// one-dimensional Pareto curve — with the transforms and the Pareto front they were built from.
/// </summary>
internal sealed record SurrogateModels(
    List<ObservationGroup> Front,
    CostTransform CostTransform,
    GaussianProcess Output,
    GaussianProcess Cost,
    GaussianProcess? Success,
    GaussianProcess Curve,
    double FrontCostMin,
    double FrontCostMax)
{
    /// <summary>
    /// Fits all models (hyperparameters on a random subset of at most <see cref="BayesianProposer.MaxFitPoints"/>
    /// points, warm-started from <paramref name="store"/>'s, when its <see cref="RefitSchedule"/> says so; factors of K
    /// extended from the store's when θ is kept; the store is updated; jobs run in parallel). Returns
    /// null, with a log line, if a model cannot be factorised even with maximal jitter.
    /// </summary>
    public static SurrogateModels? TryFit(
        SearchSpace space,
        CarbsOptions options,
        IReadOnlyList<Observation> observations,
        List<Observation> successes,
        List<ObservationGroup> front,
        Func<double[], double[]> toModelInput,
        ModelStore store,
        Action<string> log)
    {
        var complete = successes.Where(o => !o.IsPartial).ToList(); // early-stopped runs: output model only
        bool? materialNoise = null; // the replicates' evidence, read once for both automatic choices
        bool ShowsMaterialNoise() => materialNoise ??= NoiseEstimate.ShowsMaterialNoise(space, complete);
        var transformKind = options.OutputTransform != OutputTransformKind.Auto ? options.OutputTransform
            : ShowsMaterialNoise() ? OutputTransformKind.Power : OutputTransformKind.Quantile;
        var outputTransform = OutputTransform.Create(transformKind, [.. successes.Select(o => o.Output)], options.Direction == Direction.Maximize);
        var costTransform = new CostTransform([.. complete.Select(o => o.Cost)]);
        if (costTransform.HasNonPositiveCosts)
        {
            log($"Some successful observations report zero cost; their cost is floored at {costTransform.Floor:G4} for the log-cost model.");
        }
        if (costTransform.IsDegenerate && successes.Count > 1)
        {
            log("All successful observations have the same cost; the cost model is flat and the Pareto set has one point.");
        }
        if (successes.Count > 1 && successes.Select(o => o.Output).Distinct().Count() == 1)
        {
            log("All successful outputs are equal; the output model is flat and suggestions follow the prior and exploration.");
        }
        var successInputs = successes.Select(o => toModelInput(space.ToBasic(o.Parameters))).ToList();
        var family = new MaternLinearKernelFamily(space.ContinuousDimension, space.CategoricalDimension, options.SearchRadius);
        var costDependentNoise = options.CostDependentNoise ?? ShowsMaterialNoise();
        var outputFamily = costDependentNoise ? new MaternLinearKernelFamily(space.ContinuousDimension, space.CategoricalDimension, options.SearchRadius, costDependentNoise: true) : family;
        var outputInputs = costDependentNoise ? WithNoiseCovariate(successInputs, successes) : successInputs;
        var jobs = new List<ModelFitJob>
        {
            NewJob("output", outputFamily, outputInputs, [.. successes.Select(o => outputTransform.Transform(o.Output))], store, options.Seed),
            NewJob("cost", family, complete.Count == successes.Count ? successInputs : [.. complete.Select(o => toModelInput(space.ToBasic(o.Parameters)))],
                [.. complete.Select(o => costTransform.Transform(o.Cost))], store, options.Seed),
        };
        var hasFailures = observations.Count > successes.Count;
        if (hasFailures)
        {
            var allInputs = observations.Select(o => toModelInput(space.ToBasic(o.Parameters))).ToList();
            jobs.Add(NewJob("success", family, allInputs, [.. observations.Select(o => o.IsFailure ? -1.0 : 1.0)], store, options.Seed));
        }
        var frontCosts = front.Select(g => costTransform.Transform(g.Cost)).ToArray();
        jobs.Add(NewJob("curve", new RbfKernelFamily(), [.. frontCosts.Select(c => new[] { c })], [.. front.Select(g => outputTransform.Transform(g.Output))], store, options.Seed));
        Parallel.ForEach(jobs, job => job.Run());
        foreach (var job in jobs)
        {
            if (job.Problem is { } problem)
            {
                log(problem);
            }
            if (job.Model is null)
            {
                log($"The {job.Name} model could not be built; this suggestion falls back to centered random sampling.");
                return null;
            }
            store.Commit(job);
        }
        return new SurrogateModels(front, costTransform, jobs[0].Model!, jobs[1].Model!, hasFailures ? jobs[2].Model : null, jobs[^1].Model!, frontCosts.Min(), frontCosts.Max());
    }

    /// <summary>
    /// Each row with one more column t = (ln c − min ln c)/(max ln c − min ln c) over these observations' costs (floored
    /// at a tiny positive cost), the noise covariate of a cost-dependent noise; t = 1 for all when the costs are equal.
    /// Rows are new arrays, so a new extreme cost changes every t and the cached factor is rebuilt, never reused stale.
    /// </summary>
    internal static List<double[]> WithNoiseCovariate(List<double[]> inputs, List<Observation> observations)
    {
        var logCosts = observations.Select(o => Math.Log(Math.Max(o.Cost, 1e-300))).ToArray();
        var low = logCosts.Length > 0 ? logCosts.Min() : 0.0;
        var span = logCosts.Length > 0 ? logCosts.Max() - low : 0.0;
        var rows = new List<double[]>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var row = new double[inputs[i].Length + 1];
            inputs[i].CopyTo(row, 0);
            row[^1] = span > 1e-12 ? (logCosts[i] - low) / span : 1.0;
            rows.Add(row);
        }
        return rows;
    }

    private static ModelFitJob NewJob(string name, IKernelFamily family, List<double[]> inputs, List<double> targets, ModelStore store, int seed) =>
        store.NewJob(name, family, inputs, targets, ChooseSubset(inputs.Count, seed));

    /// <summary>
    /// All indices, or the <see cref="BayesianProposer.MaxFitPoints"/> indices with the smallest seeded hash. The
    /// subset is a uniform random sample that stays stable as observations are appended (a new point enters only if its
    /// hash is small), so each warm-started refit starts near its optimum.
    /// </summary>
    private static int[] ChooseSubset(int count, int seed)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        if (count <= BayesianProposer.MaxFitPoints)
        {
            return indices;
        }
        var salt = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        var subset = indices.OrderBy(i => Mix(salt ^ (ulong)i)).ThenBy(i => i).Take(BayesianProposer.MaxFitPoints).ToArray();
        Array.Sort(subset);
        return subset;
    }

    /// <summary>splitmix64's finaliser: a bijective 64-bit mix.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
