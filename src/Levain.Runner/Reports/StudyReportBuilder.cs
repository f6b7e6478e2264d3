using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Reports;

/// <summary>
/// Builds a <see cref="StudyReport"/> from stored trials alone: the tuner is rebuilt from the observations, so a report
/// needs only the storage, not the study file. Without a target cost, laws are extrapolated to 10× the most expensive
/// Pareto point.
/// </summary>
public static class StudyReportBuilder
{
    public const double DefaultTargetMultiple = 10.0;

    /// <summary>Bootstrap refits behind a report's bands (fewer than <c>scale-up</c>'s 200: a report is drawn often).</summary>
    public const int ReportBootstrapSamples = 60;

    public static async Task<StudyReport?> BuildAsync(IStudyStore store, string study, double? targetCost = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = await store.FindStudyAsync(study, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        var trials = await store.GetTrialsAsync(study, cancellationToken).ConfigureAwait(false);
        return Build(record, trials, targetCost) with { ScaleUpTrials = await ScaleUpRecord.ReadAsync(store, study, trials, cancellationToken).ConfigureAwait(false) };
    }

    public static StudyReport Build(StudyRecord study, IReadOnlyList<TrialRecord> trials, double? targetCost = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        if (targetCost is double t && (!double.IsFinite(t) || t <= 0)) throw new ArgumentOutOfRangeException(nameof(targetCost), targetCost, "The target cost must be positive.");
        var tuner = StudyTuner.Restore(study.Spec, null, trials).Tuner;
        var front = tuner.GetParetoFront();
        var minimize = study.Spec.Direction == Direction.Minimize;

        Levain.Tuning.Scaling.ScalingLawReport? laws = null;
        string? why = null;
        double? target = null;
        if (front.Points.Count < 2)
        {
            why = $"scaling laws need at least 2 Pareto points; the front has {front.Points.Count}";
        }
        else
        {
            target = targetCost ?? DefaultTargetMultiple * front.Points.Max(p => p.Cost);
            try
            {
                laws = tuner.FitScalingLaws(target, study.Spec.MetricBound);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                why = $"scaling laws could not be fitted: {e.Message}";
                target = null;
            }
        }

        var succeeded = trials.Where(x => x.State == TrialState.Succeeded && x.Output is not null && x.Cost is not null).ToList();
        var best = succeeded.Count == 0 ? null : minimize ? succeeded.MinBy(x => x.Output) : succeeded.MaxBy(x => x.Output);
        var scaleUp = target is double t2 && front.Points.Count >= 3 ? ScaleUp(study, trials, t2 / front.Points.Max(p => p.Cost)) : null;
        if (laws is { Front: { } frontLaw } && scaleUp?.Metric is { } metric)
        {
            // One prediction of the metric per report: the scale-up's, whose interval is a bootstrap over trials (it
            // includes which points were selected onto the front), instead of the front fit's own interval.
            laws = laws with
            {
                Front = frontLaw with
                {
                    Saturating = metric.Law,
                    Method = metric.Method,
                    ResidualStdDev = metric.Law.ResidualStdDev,
                    PredictedOutput = metric.Predicted,
                    Lower = metric.Lower,
                    Upper = metric.Upper,
                },
            };
        }
        return new StudyReport(study, trials, front, BestAtCost(succeeded, minimize), laws, why, target, BestSoFar(trials, minimize), best) { ScaleUp = scaleUp };
    }

    /// <summary>
    /// The report's scale-up prediction. It costs seconds with hundreds of trials and changes only when a trial finishes,
    /// so the last few are kept by study, spec, finished trials and factor (the dashboard redraws a report every poll).
    /// </summary>
    private static ScaleUpPrediction? ScaleUp(StudyRecord study, IReadOnlyList<TrialRecord> trials, double factor)
    {
        var finished = trials.Where(t => t.IsFinished).ToList();
        var key = string.Join('|', study.Name, study.Spec.ToJson(), finished.Count, finished.Select(t => t.FinishedAt ?? DateTimeOffset.MinValue).DefaultIfEmpty().Max().UtcTicks,
            factor.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (ScaleUpCache.TryGetValue(key, out var cached)) return cached;
        var observations = trials.Select(StudyTuner.ToObservation).OfType<Observation>().ToList();
        var prediction = ScaleUpPredictor.Predict(new SearchSpace(study.Spec.Parameters), observations, study.Spec.Direction, factor,
            study.Spec.Tuner.MinParetoCostFraction, ReportBootstrapSamples, searchRadius: study.Spec.Tuner.SearchRadius, metricBound: study.Spec.MetricBound);
        if (ScaleUpCache.Count >= 16) ScaleUpCache.Clear();
        ScaleUpCache[key] = prediction;
        return prediction;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ScaleUpPrediction?> ScaleUpCache = new(StringComparer.Ordinal);

    /// <summary>Best succeeded trial under each cost level of the 1-2-5 sequence spanning the observed costs.</summary>
    public static IReadOnlyList<BestAtCostRow> BestAtCost(IReadOnlyList<TrialRecord> succeeded, bool minimize)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        var positive = succeeded.Where(x => x.Cost > 0).ToList();
        if (positive.Count == 0) return [];
        var lo = positive.Min(x => x.Cost!.Value);
        var hi = positive.Max(x => x.Cost!.Value);
        var rows = new List<BestAtCostRow>();
        var decade = Math.Pow(10, Math.Floor(Math.Log10(lo)));
        BestAtCostRow? previous = null;
        for (var i = 0; i < 200; i++)
        {
            var level = decade * (i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 5) * Math.Pow(10, i / 3);
            var within = positive.Where(x => x.Cost <= level * (1 + 1e-12)).ToList();
            if (within.Count > 0)
            {
                var b = minimize ? within.MinBy(x => x.Output)! : within.MaxBy(x => x.Output)!;
                if (previous is null || previous.Trial != b.Number)
                {
                    previous = new BestAtCostRow(level, b.Number, b.Cost!.Value, b.Output!.Value);
                    rows.Add(previous);
                }
            }
            if (level >= hi) break;
        }
        return rows;
    }

    /// <summary>Best metric so far against cumulative cost, in finishing order (failed trials add their cost).</summary>
    public static IReadOnlyList<BestSoFarPoint> BestSoFar(IReadOnlyList<TrialRecord> trials, bool minimize)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var points = new List<BestSoFarPoint>();
        double cumulative = 0;
        double? best = null;
        foreach (var trial in trials.Where(x => x.State is TrialState.Succeeded or TrialState.Failed).OrderBy(x => x.FinishedAt).ThenBy(x => x.Number))
        {
            cumulative += trial.Cost is double c && double.IsFinite(c) ? c : 0;
            if (trial.State == TrialState.Succeeded && trial.Output is double y)
            {
                best = best is null ? y : minimize ? Math.Min(best.Value, y) : Math.Max(best.Value, y);
            }
            if (best is double b) points.Add(new BestSoFarPoint(trial.Number, cumulative, b));
        }
        return points;
    }
}
