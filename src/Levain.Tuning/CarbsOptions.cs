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

    /// <summary>Exploration bias β of expected improvement, in transformed output units (default 1.0).</summary>
    public double ExplorationBias { get; init; } = 1.0;

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
}
