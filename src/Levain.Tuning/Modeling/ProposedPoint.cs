namespace Levain.Tuning.Modeling;

/// <summary>
/// One Bayesian-phase pick: the point, why, the Pareto point it was drawn around (null for a global candidate, which no
/// trust region answers for) and its predicted mean cost.
/// </summary>
internal sealed record ProposedPoint(double[] XInBasic, AcquisitionTerms Terms, string? OriginKey, double PredictedCost);
