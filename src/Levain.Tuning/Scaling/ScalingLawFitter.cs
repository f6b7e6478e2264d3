using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// docs/tuner.md part C: each numeric parameter's basic-space value along the Pareto front as a linear function of ln(cost)
/// (a power law for log parameters) with a 90 % prediction interval from the residuals, and the front's output as a
/// <see cref="SaturatingLaw"/> (three or more points, held to the metric's natural bound when one is given; a straight
/// line in ln cost with two), extrapolated to an optional target cost. Points with non-positive cost are skipped (ln is
/// undefined there).
/// </summary>
public static class ScalingLawFitter
{
    public const double IntervalConfidence = 0.90;

    public static ScalingLawReport Fit(SearchSpace space, ParetoFront front, double? targetCost = null, Direction direction = Direction.Minimize, double? metricBound = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(front);
        if (targetCost is { } t && (!double.IsFinite(t) || t <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(targetCost), targetCost, "The target cost must be positive and finite.");
        }
        var points = front.Points.Where(p => p.Cost > 0 && double.IsFinite(p.Cost) && double.IsFinite(p.Output)).ToArray();
        if (points.Length == 0)
        {
            return new ScalingLawReport([], null);
        }
        var logCosts = points.Select(p => Math.Log(p.Cost)).ToArray();
        double? logTarget = targetCost is { } c ? Math.Log(c) : null;
        var laws = new List<ParameterLaw>();
        foreach (var spec in space.Parameters)
        {
            if (space.NumericTransformOf(spec.Name) is not { } transform)
            {
                continue;
            }
            var valuesInBasic = points.Select(p => transform.ToBasic(p.Parameters[spec.Name].Number)).ToArray();
            var fit = new LinearFit(logCosts, valuesInBasic);
            double? predicted = null, lower = null, upper = null;
            if (logTarget is { } x)
            {
                predicted = transform.FromBasic(fit.Predict(x));
                if (fit.PredictionInterval(x, IntervalConfidence) is { } interval)
                {
                    lower = transform.FromBasic(interval.Lower);
                    upper = transform.FromBasic(interval.Upper);
                }
            }
            laws.Add(new ParameterLaw(spec.Name, fit.Slope, fit.Intercept, fit.ResidualStdDev, fit.Count, targetCost, predicted, lower, upper));
        }
        var frontFit = new LinearFit(logCosts, points.Select(p => p.Output).ToArray());
        double? frontPredicted = null, frontLower = null, frontUpper = null;
        if (logTarget is { } xt)
        {
            frontPredicted = frontFit.Predict(xt);
            if (frontFit.PredictionInterval(xt, IntervalConfidence) is { } interval)
            {
                (frontLower, frontUpper) = (interval.Lower, interval.Upper);
            }
        }
        var frontLaw = new FrontLaw(frontFit.Slope, frontFit.Intercept, frontFit.ResidualStdDev, frontFit.Count, targetCost, frontPredicted, frontLower, frontUpper);
        var costs = points.Select(p => p.Cost).ToArray();
        if (SaturatingLaw.Fit(costs, [.. points.Select(p => p.Output)], direction == Direction.Maximize, metricBound) is { } saturating)
        {
            var interval = targetCost is { } tc ? saturating.PredictionInterval(costs, tc, IntervalConfidence) : null;
            frontLaw = frontLaw with
            {
                Saturating = saturating,
                ResidualStdDev = saturating.ResidualStdDev,
                PredictedOutput = targetCost is { } tp ? saturating.Predict(tp) : null,
                Lower = interval?.Lower,
                Upper = interval?.Upper,
            };
        }
        return new ScalingLawReport(laws, frontLaw);
    }
}
