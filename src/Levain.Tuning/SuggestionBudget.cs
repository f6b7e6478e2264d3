namespace Levain.Tuning;

/// <summary>
/// What is left of a study's budget when a suggestion is asked for. <see cref="CostLeft"/> (in cost units) is a hard
/// cap: no suggestion is made whose <see cref="CarbsOptions.CostQuantile"/> upper quantile of predicted cost exceeds
/// it (minus the predicted cost of suggestions still outstanding). <see cref="SpentFraction"/> ∈ [0, 1] is how much of
/// the budget (cost, wall time or trials, whichever is furthest along) has been used; it anneals exploration and
/// pulls the search toward the target cost late in the study. Both may be null (unknown).
/// </summary>
public sealed record SuggestionBudget(double? CostLeft = null, double? SpentFraction = null)
{
    /// <summary>No budget information: the behaviour of a study without a budget.</summary>
    public static SuggestionBudget None { get; } = new();

    internal double Fraction => SpentFraction is { } f && double.IsFinite(f) ? Math.Clamp(f, 0.0, 1.0) : 0.0;
}
