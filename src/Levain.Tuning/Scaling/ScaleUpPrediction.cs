namespace Levain.Tuning.Scaling;

/// <summary>
/// Recommended settings at <see cref="TargetCost"/> = <see cref="Factor"/> × the cost of the dearest Pareto point
/// (<see cref="BaseCost"/>): the metric predicted by the saturating front law and each numeric parameter by its law
/// along the front, with bootstrap intervals over trials (<see cref="IntervalConfidence"/>), and warnings
/// (extrapolation beyond 10x, values outside the search bounds, too few points).
/// </summary>
public sealed record ScaleUpPrediction(
    double BaseCost,
    double Factor,
    double TargetCost,
    MetricPrediction Metric,
    IReadOnlyList<ParameterPrediction> Parameters,
    IReadOnlyList<string> Warnings,
    int BootstrapSamples,
    double IntervalConfidence);

/// <summary>The metric at the target cost: point prediction, interval, and the fitted law E + s·A·C^−α.</summary>
public sealed record MetricPrediction(double Predicted, double Lower, double Upper, SaturatingLaw Law);

/// <summary>
/// A numeric parameter at the target cost in parameter units (integers rounded to their step), its interval, and the
/// law in basic units: value = Intercept + Slope · ln(cost) (a power law for log parameters).
/// </summary>
public sealed record ParameterPrediction(string Name, double Predicted, double Lower, double Upper, double Slope, double Intercept, bool IsInteger, bool IsOutsideBounds);
