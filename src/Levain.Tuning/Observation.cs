using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>
/// The result of evaluating a point. Cost is usually seconds or FLOPs. A non-finite output counts as a failure.
/// <paramref name="SuggestionId"/> links it to the suggestion it answers (which then stops being outstanding).
/// </summary>
public sealed record Observation(
    IReadOnlyDictionary<string, ParamValue> Parameters,
    double Output,
    double Cost,
    bool IsFailure = false,
    string? SuggestionId = null);
