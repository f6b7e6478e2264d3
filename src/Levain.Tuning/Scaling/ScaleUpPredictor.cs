using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// Scaling laws you can bet a run on. The metric along the Pareto front follows the saturating law
/// <see cref="SaturatingLaw"/> (a floor, never a straight line in ln cost); each numeric parameter's basic value is a
/// line in ln cost through the front points. Intervals come from a bootstrap over trials: the successful observations
/// are resampled with replacement, the Pareto front is selected again and every law refitted, so the interval carries
/// the selection of front points from noisy trials, not only the scatter of the chosen points. The metric interval
/// adds the front law's residual spread. Integers are rounded to their step; targets beyond
/// <see cref="WarnBeyondFactor"/> × the dearest Pareto point carry a warning.
/// </summary>
public static class ScaleUpPredictor
{
    public const double WarnBeyondFactor = 10.0;
    public const int DefaultBootstrapSamples = 200;
    public const double Confidence = 0.90;

    public static ScaleUpPrediction? Predict(SearchSpace space, IReadOnlyList<Observation> observations, Direction direction, double factor, double minParetoCostFraction = 0.2, int bootstrapSamples = DefaultBootstrapSamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(observations);
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale-up factor must be positive and finite.");
        }
        var successes = observations.Where(o => !o.IsFailure && o.Cost > 0 && double.IsFinite(o.Cost) && double.IsFinite(o.Output)).ToList();
        var front = ParetoGroups.Front(space, successes, direction, minParetoCostFraction);
        var maximize = direction == Direction.Maximize;
        var fit = FitAll(space, front, maximize);
        if (fit is null)
        {
            return null;
        }
        var baseCost = front[^1].Cost;
        var target = baseCost * factor;
        var logTarget = Math.Log(target);
        var numeric = space.Parameters.Where(p => space.NumericTransformOf(p.Name) is not null).ToList();
        var rng = new Xoshiro256StarStar(seed);
        var metricDraws = new List<double>();
        var parameterDraws = numeric.Select(_ => new List<double>()).ToArray();
        var sample = new List<Observation>(successes.Count);
        for (var b = 0; b < bootstrapSamples; b++)
        {
            sample.Clear();
            for (var i = 0; i < successes.Count; i++)
            {
                sample.Add(successes[rng.NextInt(successes.Count)]);
            }
            var replicate = FitAll(space, ParetoGroups.Front(space, sample, direction, minParetoCostFraction), maximize);
            if (replicate is null)
            {
                continue;
            }
            metricDraws.Add(replicate.Value.Law.Predict(target) + (replicate.Value.Law.ResidualStdDev * rng.NextNormal()));
            for (var k = 0; k < numeric.Count; k++)
            {
                parameterDraws[k].Add(replicate.Value.Lines[numeric[k].Name].Predict(logTarget));
            }
        }
        var warnings = new List<string>();
        if (factor > WarnBeyondFactor)
        {
            warnings.Add($"Extrapolating {factor:G3}x beyond the dearest Pareto point (more than {WarnBeyondFactor:G}x): treat the recommendation as a guess and verify at an intermediate scale.");
        }
        if (front.Count < 5)
        {
            warnings.Add($"Only {front.Count} Pareto points: the laws and their intervals are rough.");
        }
        if (metricDraws.Count < bootstrapSamples / 2)
        {
            warnings.Add($"Only {metricDraws.Count} of {bootstrapSamples} bootstrap samples could be fitted: intervals are unreliable.");
        }
        var tail = (1 - Confidence) / 2;
        var predicted = fit.Value.Law.Predict(target);
        var (lower, upper) = metricDraws.Count > 1 ? (Quantile(metricDraws, tail), Quantile(metricDraws, 1 - tail)) : (predicted, predicted);
        var metric = new MetricPrediction(predicted, Math.Min(lower, predicted), Math.Max(upper, predicted), fit.Value.Law);
        var parameters = new List<ParameterPrediction>();
        for (var k = 0; k < numeric.Count; k++)
        {
            var spec = numeric[k];
            var transform = space.NumericTransformOf(spec.Name)!;
            var line = fit.Value.Lines[spec.Name];
            var centerInBasic = line.Predict(logTarget);
            var draws = parameterDraws[k];
            var lowInBasic = draws.Count > 1 ? Math.Min(Quantile(draws, tail), centerInBasic) : centerInBasic;
            var highInBasic = draws.Count > 1 ? Math.Max(Quantile(draws, 1 - tail), centerInBasic) : centerInBasic;
            double ToParam(double b) => RoundIfInteger(spec, transform.FromBasic(b));
            var value = ToParam(centerInBasic);
            var (low, high) = (ToParam(lowInBasic), ToParam(highInBasic));
            var outside = (spec.Min is { } min && value < min) || (spec.Max is { } max && value > max);
            if (outside)
            {
                warnings.Add($"{spec.Name} = {value:G4} lies outside the search bounds [{spec.Min?.ToString("G4") ?? "-inf"}, {spec.Max?.ToString("G4") ?? "inf"}].");
            }
            parameters.Add(new ParameterPrediction(spec.Name, value, Math.Min(low, high), Math.Max(low, high), line.Slope, line.Intercept, spec.IsInteger, outside));
        }
        return new ScaleUpPrediction(baseCost, factor, target, metric, parameters, warnings, metricDraws.Count, Confidence);
    }

    private static (SaturatingLaw Law, Dictionary<string, LinearFit> Lines)? FitAll(SearchSpace space, List<ObservationGroup> front, bool maximize)
    {
        if (front.Count < 3)
        {
            return null;
        }
        var law = SaturatingLaw.Fit([.. front.Select(g => g.Cost)], [.. front.Select(g => g.Output)], maximize);
        if (law is null)
        {
            return null;
        }
        var logCosts = front.Select(g => Math.Log(g.Cost)).ToArray();
        var lines = new Dictionary<string, LinearFit>(StringComparer.Ordinal);
        foreach (var spec in space.Parameters)
        {
            if (space.NumericTransformOf(spec.Name) is { } transform)
            {
                lines[spec.Name] = new LinearFit(logCosts, [.. front.Select(g => transform.ToBasic(g.Parameters[spec.Name].Number))]);
            }
        }
        return (law, lines);
    }

    private static double RoundIfInteger(ParameterSpec spec, double valueInParam) =>
        spec.IsInteger ? Math.Round(valueInParam / spec.Rounding, MidpointRounding.ToEven) * spec.Rounding : valueInParam;

    private static double Quantile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var position = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }
}
