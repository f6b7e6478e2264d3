namespace Levain.Tuning;

/// <summary>
/// Why a Bayesian-phase suggestion was made (docs/tuner.md B6): the output model's mean μ and standard deviation σ
/// (transformed units, larger is better), the target π from the Pareto curve, the predicted cost (parameter units),
/// expected improvement, prior weight, P(success), P(cost ≤ cap) and the product that was maximised.
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
    double Acquisition);
