using Levain.Core;
using Levain.Evals.Statistics;
using Levain.Evals.Tasks.Groups;

namespace Levain.Evals.Reports;

/// <summary>Builds a <see cref="GroupReport"/> from the reports of a group's member tasks.</summary>
public static class GroupReportBuilder
{
    /// <exception cref="InputException">A metric the group asks for is missing from a member task.</exception>
    public static GroupReport Build(TaskGroup group, IReadOnlyList<TaskReport> reports)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(reports);
        var members = group.Tasks.Select(name => reports.FirstOrDefault(r => r.Name == name)
            ?? throw new InputException(group.SourcePath ?? group.Name, 0, "task", $"member task '{name}' has no report")).ToArray();
        var wanted = group.Metrics
            ?? [.. members.Select(m => m.Metrics.Keys).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal)).Order(StringComparer.Ordinal).Select(m => new GroupMetric(m, true))];
        var metrics = new Dictionary<string, MetricEstimate>(StringComparer.Ordinal);
        foreach (var spec in wanted)
        {
            var missing = members.FirstOrDefault(m => !m.Metrics.ContainsKey(spec.Metric));
            if (missing is not null)
            {
                throw new InputException(group.SourcePath ?? group.Name, 0, "aggregate_metric_list",
                    $"metric '{spec.Metric}' is not reported by member task '{missing.Name}' (it reports: {string.Join(", ", missing.Metrics.Keys)})");
            }
            metrics[spec.Metric] = GroupAggregation.Aggregate([.. members.Select(m => (m.Metrics[spec.Metric], m.Items))], spec.IsWeightedBySize);
        }
        return new GroupReport(group.Name, group.Tasks, members.Sum(m => m.Items), metrics);
    }
}
