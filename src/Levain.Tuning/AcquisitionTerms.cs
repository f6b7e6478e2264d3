namespace Levain.Tuning;

/// <summary>
/// Why a Bayesian-phase suggestion was made (docs/tuner.md B6): the output model's mean μ and standard deviation σ
/// (transformed units, larger is better), the target π from the Pareto curve, the predicted cost (parameter units),
/// expected improvement, prior weight, P(success), P(cost ≤ limit) (cap and budget left) and the product that was
/// maximised; the upper cost quantile checked against the limit and the (annealed) exploration bias used.
/// </summary>
public sealed record AcquisitionTerms(
    double Mean,
    double StdDev,
    double Target,
    double PredictedCost,
    double ExpectedImprovement,
    double PriorWeight,
    double ProbabilityOfSuccess,
    double ProbabilityWithinCostCap,
    double Acquisition)
{
    /// <summary>The <see cref="CarbsOptions.CostQuantile"/> upper quantile of the predicted cost (cost units).</summary>
    public double CostUpperQuantile { get; init; }

    /// <summary>The exploration bias β in force for this suggestion (annealed with the budget spent).</summary>
    public double ExplorationBias { get; init; }
}
