using Levain.Tuning.Spaces;

namespace Levain.Tuning.Serialization;

/// <summary>
/// Everything a <see cref="CarbsTuner"/> needs to continue exactly where it was: configuration, space, observations,
/// outstanding suggestions, counters, the xoshiro256** state and the last fitted GP hyperparameters (warm starts).
/// </summary>
internal sealed record TunerState(
    int Version,
    CarbsOptions Options,
    IReadOnlyList<ParameterSpec> Parameters,
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<Suggestion> Outstanding,
    long SuggestionCounter,
    int ResampleCount,
    IReadOnlyList<ulong> RandomState,
    IReadOnlyDictionary<string, double[]> Hyperparameters)
{
    /// <summary>Random-phase suggestions made (the position in the initial design). Absent in older states: 0.</summary>
    public int RandomPhaseCount { get; init; }

    /// <summary>Trust regions by Pareto-point key. Absent in older states: none.</summary>
    public IReadOnlyDictionary<string, Modeling.TrustRegion>? TrustRegions { get; init; }

    /// <summary>The Pareto point each outstanding Bayesian suggestion was drawn around. Absent in older states: none.</summary>
    public IReadOnlyDictionary<string, string>? SuggestionOrigins { get; init; }

    /// <summary>
    /// Points each model's hyperparameters were last fitted on (the refit schedule's n_fit). Absent in older states:
    /// none, so the next suggestion refits every model (warm-started from the saved θ).
    /// </summary>
    public IReadOnlyDictionary<string, int>? HyperparameterFitCounts { get; init; }

    /// <summary>
    /// Set when the state was saved without its observations (the caller keeps them): how many the tuner had. Null when
    /// <see cref="Observations"/> holds them all.
    /// </summary>
    public int? ObservationCount { get; init; }

    public const int CurrentVersion = 1;
}
