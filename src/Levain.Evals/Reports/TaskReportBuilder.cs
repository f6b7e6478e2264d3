using System.Globalization;
using Levain.Evals.Items;
using Levain.Evals.Metrics;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;
using Levain.Evals.Tasks;

namespace Levain.Evals.Reports;

/// <summary>Builds a <see cref="TaskReport"/> from a run: full and clean metrics, contamination split, rotations, calibration, effective length.</summary>
public static class TaskReportBuilder
{
    public static TaskReport Build(TaskRun run, LoadedTask task, TaskReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        var rows = run.Rows;
        if (options.ContaminationIndex is { } index)
        {
            var overlaps = task.Items.ToDictionary(i => i.Id, i => index.Overlap(i.VisibleText), StringComparer.Ordinal);
            rows = [.. rows.Select(r => r with { Overlap = overlaps[r.ItemId] })];
        }
        var seed = options.BootstrapSeed;
        var clean = rows.Where(r => r.Quality == QualityStatus.Ok).ToArray();
        var contamination = new List<SubsetReport>();
        if (options.ContaminationIndex is not null)
        {
            var isOverlapping = rows.ToLookup(r => r.Overlap > options.OverlapThreshold);
            contamination.Add(Subset("not-overlapping", isOverlapping[false].ToArray(), run.Metrics, seed));
            contamination.Add(Subset("overlapping", isOverlapping[true].ToArray(), run.Metrics, seed));
        }
        var withConfidence = rows.Where(r => r.Confidence is not null).ToArray();
        var manifest = run.Manifest;
        return new TaskReport
        {
            Name = manifest.Name,
            Source = manifest.ItemsPath ?? $"generator {manifest.Generator} (seed {manifest.Seed?.ToString(CultureInfo.InvariantCulture) ?? "default"}, count {manifest.Count.ToString(CultureInfo.InvariantCulture)})",
            Items = rows.Select(r => r.ItemId).Distinct(StringComparer.Ordinal).Count(),
            MetricNames = run.Metrics,
            Metrics = MetricSummarizer.Summarize(rows, run.Metrics, seed),
            Clean = Subset("clean", clean, run.Metrics, seed),
            Contamination = contamination,
            Rotations = SummarizeRotations(rows),
            Abstention = withConfidence.Length == 0
                ? []
                : Calibration.AbstentionCurve([.. withConfidence.Select(r => r.Confidence!.Value)], [.. withConfidence.Select(r => r.Scores[MetricNames.Acc])]),
            EffectiveLength = SummarizeLengths(rows, manifest.EffectiveLengthThreshold),
            CachedRequests = run.CachedRequests,
            ScoredRequests = run.ScoredRequests,
            Rows = rows,
        };
    }

    private static SubsetReport Subset(string name, IReadOnlyList<ItemResult> rows, IReadOnlyList<string> metrics, int seed) =>
        new(name, rows.Select(r => r.ItemId).Distinct(StringComparer.Ordinal).Count(), MetricSummarizer.Summarize(rows, metrics, seed));

    /// <summary>Rotation robustness over multiple-choice rows; null unless some item ran under more than one rotation.</summary>
    public static RotationSummary? SummarizeRotations(IReadOnlyList<ItemResult> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var choiceRows = rows.Where(r => r.Scores.ContainsKey(MetricNames.Acc)).ToArray();
        var byItem = choiceRows.GroupBy(r => r.ItemId, StringComparer.Ordinal).ToArray();
        var rotations = byItem.Length == 0 ? 0 : byItem.Max(g => g.Count());
        if (rotations < 2)
        {
            return null;
        }
        var mean = StandardErrors.Mean([.. choiceRows.Select(r => r.Scores[MetricNames.Acc])], [.. choiceRows.Select(r => r.ItemId)]);
        var strictValues = byItem.Select(g => g.All(r => r.Scores[MetricNames.Acc] == 1) ? 1.0 : 0.0).ToArray();
        var strict = StandardErrors.Mean(strictValues, [.. byItem.Select(g => g.Key)]);
        var recall = choiceRows
            .Where(r => r.GoldPositions.Count == 1)
            .GroupBy(r => r.GoldPositions[0])
            .OrderBy(g => g.Key)
            .Select(g => new PositionRecall(g.Key, g.Count(), g.Average(r => r.Scores[MetricNames.Acc])))
            .ToArray();
        var spread = recall.Length == 0 ? 0 : recall.Max(p => p.Recall) - recall.Min(p => p.Recall);
        return new RotationSummary(rotations, mean, strict, recall, spread);
    }

    /// <summary>Accuracy by the <c>length</c> meta field (long-context items) and the effective length; null when no row has one.</summary>
    public static EffectiveLengthSummary? SummarizeLengths(IReadOnlyList<ItemResult> rows, double threshold)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var measured = rows
            .Where(r => r.Scores.ContainsKey(MetricNames.Acc) && r.Meta is not null && r.Meta.TryGetValue("length", out _))
            .GroupBy(r => int.Parse(r.Meta!["length"], NumberStyles.Integer, CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g => new LengthAccuracy(g.Key, StandardErrors.Mean([.. g.Select(r => r.Scores[MetricNames.Acc])], [.. g.Select(r => r.Cluster)])))
            .ToArray();
        if (measured.Length == 0)
        {
            return null;
        }
        int? effective = null;
        foreach (var length in measured)
        {
            if (length.Accuracy.Value < threshold)
            {
                break;
            }
            effective = length.Length;
        }
        return new EffectiveLengthSummary(threshold, measured, effective);
    }
}
