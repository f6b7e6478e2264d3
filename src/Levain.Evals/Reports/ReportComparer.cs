using Levain.Evals.Metrics;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>
/// Compares two runs on the same items (docs/evals.md, "Statistics"): rows are paired by (item id, rotation); per-row
/// metrics get the paired standard error of the differences (clustered by item cluster when clusters repeat);
/// ECE and the perplexity family get a seeded paired cluster bootstrap.
/// </summary>
public static class ReportComparer
{
    public static RunComparison Compare(RunReport a, RunReport b, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tasks = new List<TaskComparison>();
        foreach (var taskA in a.Tasks)
        {
            var taskB = b.Tasks.FirstOrDefault(t => string.Equals(t.Name, taskA.Name, StringComparison.Ordinal));
            if (taskB is not null)
            {
                tasks.Add(CompareTask(taskA, taskB, seed));
            }
        }
        return new RunComparison(a.Manifest.ModelId, b.Manifest.ModelId, tasks);
    }

    private static TaskComparison CompareTask(TaskReport a, TaskReport b, int seed)
    {
        var rowsB = b.Rows.ToDictionary(r => (r.ItemId, r.Rotation));
        var pairs = a.Rows.Where(r => rowsB.ContainsKey((r.ItemId, r.Rotation))).Select(r => (A: r, B: rowsB[(r.ItemId, r.Rotation)])).ToArray();
        var metrics = a.MetricNames.Intersect(b.MetricNames, StringComparer.Ordinal).ToList();
        if (pairs.Any(p => p.A.Scores.ContainsKey("nll")))
        {
            metrics.Add("nll");
        }
        var differences = new List<MetricDifference>();
        foreach (var metric in metrics)
        {
            var usable = pairs.Where(p => MetricSummarizer.Applies(metric, p.A) && MetricSummarizer.Applies(metric, p.B)).ToArray();
            if (usable.Length == 0)
            {
                continue;
            }
            var valueA = MetricSummarizer.Aggregate(metric, [.. usable.Select(p => p.A)]);
            var valueB = MetricSummarizer.Aggregate(metric, [.. usable.Select(p => p.B)]);
            double? error;
            string method;
            if (metric == "nll" || MetricNames.RowMeans.Contains(metric))
            {
                var estimate = StandardErrors.Mean([.. usable.Select(p => p.B.Scores[metric] - p.A.Scores[metric])], [.. usable.Select(p => p.A.Cluster)]);
                error = estimate.StandardError;
                method = "paired-" + estimate.Method;
            }
            else
            {
                error = Bootstrap.StandardError(
                    usable,
                    p => p.A.Cluster,
                    sample => MetricSummarizer.Aggregate(metric, [.. sample.Select(p => p.B)]) - MetricSummarizer.Aggregate(metric, [.. sample.Select(p => p.A)]),
                    seed,
                    MetricSummarizer.BootstrapResamples);
                method = "paired-bootstrap";
            }
            differences.Add(new MetricDifference(metric, valueA, valueB, valueB - valueA, error, usable.Length, method));
        }
        return new TaskComparison(a.Name, pairs.Length, a.Rows.Count - pairs.Length, b.Rows.Count - pairs.Length, differences);
    }
}
