using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>What a method sees (<paramref name="ObservedValue"/>, <paramref name="Cost"/>) and what the regret uses
/// (<paramref name="NoiseFreeValue"/>).</summary>
public readonly record struct ProblemEvaluation(double ObservedValue, double NoiseFreeValue, double Cost)
{
    /// <summary>A run cut short by early stopping: the curve's point where it was stopped.</summary>
    public bool IsPartial { get; init; }

    /// <summary>
    /// For a run cut short on a curve problem: the parameters of the complete run it amounts to (its length parameter
    /// set to the units it trained, <see cref="ICurveProblem.ShortenedRun"/>); null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, ParamValue>? ShortenedRun { get; init; }

    /// <summary>
    /// For a run cut short without a complete shorter run (<see cref="ShortenedRun"/> null): the value the stopping
    /// rule projects for its planned end, which the tuner observes instead of the cut-off value; null otherwise.
    /// </summary>
    public double? ProjectedFinal { get; init; }

    /// <summary>With <see cref="ProjectedFinal"/>: the run's planned cost (what the observation is told; the budget is charged <see cref="Cost"/>, the cost spent).</summary>
    public double? PlannedCost { get; init; }
}
