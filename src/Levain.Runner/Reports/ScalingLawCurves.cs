using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Reports;

/// <summary>
/// A report's scaling laws along cost for charts: the scale-up laws with their 90 % bootstrap bands when the report has
/// a scale-up prediction (extrapolated points marked), else the straight-line laws, sampled by refitting them at each
/// sampled cost (the fitter maps basic values
/// back to parameter units itself), so charts never re-implement the basic-space transform.
/// </summary>
public static class ScalingLawCurves
{
    /// <summary>How many costs each curve is sampled at.</summary>
    public const int DefaultSamples = 40;

    /// <summary>One curve per fitted parameter law, then the front's; empty when the report has no laws.</summary>
    public static IReadOnlyList<ScalingLawCurve> Sample(StudyReport report, int samples = DefaultSamples)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        if (report.ScaleUp is { Bands.Count: > 0 } scaleUp)
        {
            // The scale-up laws with their bootstrap bands: parameters first, then the metric's (as below).
            return [.. scaleUp.Bands.Where(b => b.Parameter is not null).Append(scaleUp.Bands.First(b => b.Parameter is null))
                .Select(b => new ScalingLawCurve(b.Parameter, [.. b.Points.Select(p => new ScalingLawCurvePoint(p.Cost, p.Value, p.Lower, p.Upper) { IsExtrapolated = p.IsExtrapolated })]))];
        }
        var costs = report.Front.Points.Where(p => p.Cost > 0 && double.IsFinite(p.Cost)).Select(p => p.Cost).ToList();
        if (report.Laws is null || costs.Count == 0) return [];
        var lo = Math.Log(costs.Min());
        var hi = Math.Log(Math.Max(report.TargetCost ?? costs.Max(), costs.Max()));
        if (hi <= lo) hi = lo + Math.Log(10);
        var space = new SearchSpace(report.Study.Spec.Parameters);
        var names = report.Laws.Parameters.Select(l => l.Name).ToList();
        var byParameter = names.ToDictionary(n => n, _ => new List<ScalingLawCurvePoint>(samples), StringComparer.Ordinal);
        var front = new List<ScalingLawCurvePoint>(samples);
        for (var i = 0; i < samples; i++)
        {
            var cost = Math.Exp(lo + (hi - lo) * i / (samples - 1));
            var fit = ScalingLawFitter.Fit(space, report.Front, cost, report.Study.Spec.Direction, report.Study.Spec.MetricBound);
            foreach (var law in fit.Parameters)
            {
                if (law.PredictedValueInParam is double v && byParameter.TryGetValue(law.Name, out var points))
                {
                    points.Add(new ScalingLawCurvePoint(cost, v, law.LowerInParam, law.UpperInParam));
                }
            }
            if (fit.Front is { PredictedOutput: double y } f) front.Add(new ScalingLawCurvePoint(cost, y, f.Lower, f.Upper));
        }
        var curves = names.Select(n => new ScalingLawCurve(n, byParameter[n])).ToList();
        if (front.Count > 0) curves.Add(new ScalingLawCurve(null, front));
        return curves;
    }
}
