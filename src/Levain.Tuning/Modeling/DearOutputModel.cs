using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The output model of answer refinement (<see cref="CarbsOptions.AnswerRefinementShare"/>): a GP (the output model's
/// linear + Matérn kernel family, hyperparameters by marginal likelihood from the default start) fitted only on the
/// dear observations — complete successes costing at least <see cref="CarbsOptions.DearCostFraction"/> of the dearest one — with their
/// outputs standardised and signed so larger is better. On a fidelity problem the dear runs are the least noisy, and
/// this model does not share one noise level with the cheap, noisy runs that blur the global models at the dear end.
/// </summary>
internal sealed class DearOutputModel
{
    private readonly double _mean;
    private readonly double _scale;
    private readonly double _sign;

    private DearOutputModel(GaussianProcess model, List<ObservationGroup> groups, double mean, double scale, double sign, double cheapestCost)
    {
        Model = model;
        Groups = groups;
        (_mean, _scale, _sign) = (mean, scale, sign);
        CheapestCost = cheapestCost;
    }

    /// <summary>The GP on standardised, signed outputs (larger is better), in the caller's model input coordinates.</summary>
    public GaussianProcess Model { get; }

    /// <summary>The dear observations grouped by parameters (basic vectors filled in), in first-seen order.</summary>
    public List<ObservationGroup> Groups { get; }

    /// <summary>The cost of the cheapest dear observation.</summary>
    public double CheapestCost { get; }

    /// <summary>The model's name in the tuner's <see cref="ModelStore"/> (its θ and fit count are saved in the tuner state).</summary>
    public const string StoreName = "dear-output";

    /// <summary>
    /// Fits the model when there are at least D + 2 dear observations (D basic dimensions) among the complete,
    /// finite successes (of more than <see cref="BayesianProposer.MaxFitPoints"/>, the dearest that many); null
    /// otherwise or when the GP cannot be factorised. With a <paramref name="store"/> holding a θ of this model, θ is
    /// warm-started from it and refitted only when <see cref="RefitSchedule"/> says so for the count of complete
    /// successes (the dear set itself is capped, so its size would stop growing), otherwise kept — K is factorised
    /// afresh either way, the dear set not being append-only; <paramref name="update"/> records a refitted θ in the
    /// store (a suggestion does; the answer only reads the store, so asking for it never changes the tuner's state).
    /// </summary>
    public static DearOutputModel? TryFit(SearchSpace space, CarbsOptions options, IEnumerable<Observation> successes, Func<double[], double[]> toModelInput,
        ModelStore? store = null, bool update = false)
    {
        var complete = successes.Where(o => !o.IsFailure && !o.IsPartial && double.IsFinite(o.Output)).ToList();
        if (complete.Count == 0)
        {
            return null;
        }
        var floor = options.DearCostFraction * complete.Max(o => o.Cost);
        var dear = complete.Where(o => o.Cost >= floor).ToList();
        if (dear.Count > BayesianProposer.MaxFitPoints)
        {
            // The dearest MaxFitPoints (the earlier among equal costs), in observation order: a study whose runs all
            // cost alike keeps the fit's cost bounded.
            var kept = Enumerable.Range(0, dear.Count).OrderByDescending(i => dear[i].Cost).ThenBy(i => i).Take(BayesianProposer.MaxFitPoints).Order();
            dear = [.. kept.Select(i => dear[i])];
        }
        if (dear.Count < space.BasicDimension + 2)
        {
            return null;
        }
        var sign = options.Direction == Direction.Maximize ? 1.0 : -1.0;
        var (mean, scale) = OutputScale.Of(dear);
        var inputs = dear.Select(o => toModelInput(space.ToBasic(o.Parameters))).ToList();
        var family = new MaternLinearKernelFamily(space.ContinuousDimension, space.CategoricalDimension, options.SearchRadius);
        double[]? warm = null;
        var refit = true;
        if (store is not null && store.Hyperparameters.TryGetValue(StoreName, out var previous) && previous.Length == family.ParameterCount)
        {
            warm = previous;
            int? fittedAt = store.FitCounts.TryGetValue(StoreName, out var count) ? count : null;
            refit = update && (!store.Incremental || RefitSchedule.IsDue(complete.Count, fittedAt));
        }
        var job = new ModelFitJob(StoreName, family, inputs, [.. dear.Select(o => sign * (o.Output - mean) / scale)],
            [.. Enumerable.Range(0, dear.Count)], warm, warm is null ? BayesianProposer.ColdIterations : BayesianProposer.WarmIterations, refit);
        job.Run();
        if (job.Model is not { } model)
        {
            return null;
        }
        if (update && store is not null && job.Refitted)
        {
            store.Hyperparameters[StoreName] = job.Parameters;
            store.FitCounts[StoreName] = complete.Count;
        }
        var groups = ParetoGroups.Group(space, dear);
        return new DearOutputModel(model, groups, mean, scale, sign, dear.Min(o => o.Cost));
    }

    /// <summary>The dear group with the largest model mean (the first among equals), with that mean; null if it is not finite.</summary>
    public (ObservationGroup Group, double Mean)? Best(Func<double[], double[]> toModelInput)
    {
        var means = Model.PredictMeans([.. Groups.Select(g => toModelInput(g.XInBasic))]);
        var best = 0;
        for (var i = 1; i < means.Length; i++)
        {
            if (means[i] > means[best])
            {
                best = i;
            }
        }
        return double.IsFinite(means[best]) ? (Groups[best], means[best]) : null;
    }

    /// <summary>A model mean and variance mapped back to output units: (mean, standard deviation).</summary>
    public (double Output, double StdDev) ToOutput(double modelMean, double modelVariance) =>
        (_mean + (_sign * _scale * modelMean), _scale * Math.Sqrt(Math.Max(modelVariance, 0.0)));
}
