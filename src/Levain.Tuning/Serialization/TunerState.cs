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
    public const int CurrentVersion = 1;
}
