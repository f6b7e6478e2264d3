using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>
/// The result of evaluating a point. Cost is usually seconds or FLOPs. A non-finite output counts as a failure.
/// <paramref name="SuggestionId"/> links it to the suggestion it answers (which then stops being outstanding).
/// <paramref name="IsPartial"/> marks a run stopped early (its output and cost are those of the curve where it was
/// stopped, not of a full run with these parameters): it teaches the output model that the region is worse than the
/// front at equal cost, but it never enters the cost model or the Pareto front.
/// </summary>
public sealed record Observation(
    IReadOnlyDictionary<string, ParamValue> Parameters,
    double Output,
    double Cost,
    bool IsFailure = false,
    string? SuggestionId = null,
    bool IsPartial = false)
{
    /// <summary>A finished run with a usable output: a success that was not stopped early.</summary>
    public bool IsCompleteSuccess => !IsFailure && !IsPartial;
}
