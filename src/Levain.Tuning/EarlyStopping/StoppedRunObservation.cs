using Levain.Tuning.Spaces;

namespace Levain.Tuning.EarlyStopping;

/// <summary>
/// What the tuner observes for a run stopped early that has no complete shorter run (its length is not a parameter,
/// or its schedule depends on its length): the parameters asked for, with the value the stopping rule estimates for the
/// run's planned end (<see cref="FrontDecision.ProjectedFinal"/>, <see cref="FrontDominance.ProjectFinal"/>) at the
/// run's planned cost. It stays a partial observation: the output model learns the projected value, while the cost
/// model, the Pareto front and the study's answer see only runs that finished. The study's budget is charged by the
/// caller with the cost actually spent, never with the planned cost.
/// <para>Why not the value where the run was cut: that tells the output model that the complete run at these
/// parameters reached a loss it only had part-way, so the region looks worse than it is and good learning rates whose
/// curves were stopped on noise are avoided (docs/tuner.md, "Early stopping").</para>
/// </summary>
public static class StoppedRunObservation
{
    /// <param name="parameters">The parameters asked for (the suggestion's).</param>
    /// <param name="projectedFinal">The projected value at the planned end (metric units, the study's direction).</param>
    /// <param name="plannedCost">The cost the complete run would have had.</param>
    /// <param name="suggestionId">The suggestion it answers.</param>
    public static Observation Create(IReadOnlyDictionary<string, ParamValue> parameters, double projectedFinal, double plannedCost, string? suggestionId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(projectedFinal))
        {
            throw new ArgumentOutOfRangeException(nameof(projectedFinal), projectedFinal, "the projected final value must be a finite number");
        }
        if (!double.IsFinite(plannedCost) || plannedCost <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(plannedCost), plannedCost, "the planned cost must be a positive number");
        }
        return new Observation(parameters, projectedFinal, plannedCost, SuggestionId: suggestionId, IsPartial: true);
    }
}
