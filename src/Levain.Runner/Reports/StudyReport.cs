using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning.Pareto;
using Levain.Tuning.Scaling;

namespace Levain.Runner.Reports;

/// <summary>
/// What <c>levain study show</c> and <c>plot</c> present: every trial, the Pareto front of cost and metric over all
/// observations, the best result under each cost level, the scaling-law fits along the front (extrapolated to
/// <see cref="TargetCost"/>), the best-so-far curve against cumulative cost, and the best trial.
/// </summary>
public sealed record StudyReport(
    StudyRecord Study,
    IReadOnlyList<TrialRecord> Trials,
    ParetoFront Front,
    IReadOnlyList<BestAtCostRow> BestAtCost,
    ScalingLawReport? Laws,
    string? LawsUnavailableReason,
    double? TargetCost,
    IReadOnlyList<BestSoFarPoint> BestSoFar,
    TrialRecord? Best)
{
    /// <summary>Trials launched by <c>levain study scale-up --launch</c> with the prediction each tested.</summary>
    public IReadOnlyList<ScaleUpRecord> ScaleUpTrials { get; init; } = [];

    /// <summary>
    /// The scale-up prediction at <see cref="TargetCost"/> (saturating metric law, parameters from the surrogate's front
    /// or the front line) with its bootstrap bands across cost; null with fewer than 3 Pareto points.
    /// </summary>
    public ScaleUpPrediction? ScaleUp { get; init; }
}
