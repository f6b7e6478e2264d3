namespace Levain.Tuning;

/// <summary>Tuner configuration with the defaults of docs/tuner.md A7 and the additions of part B.</summary>
public sealed record CarbsOptions
{
    public Direction Direction { get; init; } = Direction.Minimize;

    public int Seed { get; init; }

    /// <summary>Successful observations needed before the Bayesian phase (default 4).</summary>
    public int NumRandomSamples { get; init; } = 4;

    /// <summary>Standard deviation of search noise in basic units (default 0.3); also the initial lengthscale.</summary>
    public double SearchRadius { get; init; } = 0.3;

    /// <summary>
    /// Exploration bias β of expected improvement, in transformed output units, at the start of a study (default 0.5).
    /// With a budget it is annealed linearly to 0 as the budget is spent (see <see cref="SuggestionBudget"/>).
    /// </summary>
    public double ExplorationBias { get; init; } = 0.5;

    /// <summary>Candidates drawn per basic dimension (default 100).</summary>
    public int CandidatesPerDimension { get; init; } = 100;

    /// <summary>Resample the cheapest least-observed Pareto point every this many successes (default 5; 0 disables).</summary>
    public int ResampleFrequency { get; init; } = 5;

    /// <summary>Suggestions predicted to cost more than this are not made (default none).</summary>
    public double? MaxSuggestionCost { get; init; }

    /// <summary>Quantile of observed costs below which the best output starts the Pareto set (default 0.2).</summary>
    public double MinParetoCostFraction { get; init; } = 0.2;

    public OutstandingEstimator OutstandingEstimator { get; init; } = OutstandingEstimator.Thompson;

    /// <summary>Outstanding suggestions older than this are dropped from the model (default none: kept until observed or forgotten).</summary>
    public TimeSpan? SuggestionTimeToLive { get; init; }

    /// <summary>Probability that candidate mutation changes a categorical or boolean value (default 0.2).</summary>
    public double CategoricalMutationProbability { get; init; } = 0.2;

    /// <summary>
    /// The upper quantile of the cost model's predictive distribution that must fit under the cost cap and the budget
    /// left (default 0.9): a suggestion is made only if P(cost ≤ limit) ≥ this. A hard constraint, never traded for EI.
    /// </summary>
    public double CostQuantile { get; init; } = 0.9;

    /// <summary>Per-origin trust regions: the search radius around a Pareto point grows on success, shrinks on failure, restarts (default on).</summary>
    public bool TrustRegions { get; init; } = true;

    /// <summary>
    /// Keep each model's Cholesky factor between suggestions and extend it by the new rows, refitting the kernel
    /// hyperparameters only on the documented schedule (default on; docs/tuner.md). Off: refit and refactorise every
    /// model at every suggestion (the slower behaviour before, kept for the latency benchmark's comparison).
    /// </summary>
    public bool IncrementalModels { get; init; } = true;

    /// <summary>A Latin-hypercube initial design (space filling, around the center) instead of independent draws (default on).</summary>
    public bool SpaceFillingInitialDesign { get; init; } = true;

    /// <summary>
    /// Resample (every <see cref="ResampleFrequency"/> successes) only when the estimated noise makes the order of two
    /// neighbouring Pareto points uncertain; never when replicated points returned identical outputs (default on).
    /// Off: the published rule, which resamples unconditionally.
    /// </summary>
    public bool ResampleOnlyWhenUncertain { get; init; } = true;
}
