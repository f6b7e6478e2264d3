using System.Globalization;
using System.Text;
using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>Renders reports and comparisons as Markdown tables.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Manifest;
        var text = new StringBuilder();
        text.AppendLine("# Evaluation report").AppendLine();
        text.AppendLine("| run | value |").AppendLine("|---|---|");
        Row(text, "model", m.ModelId);
        Row(text, "checkpoint hash", m.CheckpointHash ?? "—");
        Row(text, "tokenizer", m.TokenizerId);
        Row(text, "backend", m.Endpoint is null ? m.Backend : $"{m.Backend} ({m.Endpoint})");
        Row(text, "harness", m.HarnessVersion);
        Row(text, "seeds", $"generation {Invariant(m.GenerationSeed)}, bootstrap {Invariant(m.BootstrapSeed)}" +
            string.Concat(m.GeneratorSeeds.Select(s => $", {s.Key} {Invariant(s.Value)}")));
        Row(text, "started", m.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        text.AppendLine();
        foreach (var group in report.Groups)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## group {group.Name}").AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{group.Items} items in {group.Tasks.Count} tasks: {string.Join(", ", group.Tasks)}.").AppendLine();
            text.AppendLine("| metric | value | method |").AppendLine("|---|---|---|");
            foreach (var (metric, estimate) in group.Metrics)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {Format(estimate)} | {estimate.Method} |");
            }
            text.AppendLine();
        }
        foreach (var task in report.Tasks)
        {
            RenderTask(text, task);
        }
        return text.ToString();
    }

    private static void RenderTask(StringBuilder text, TaskReport task)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"## {task.Name}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{task.Items} items from {task.Source}; {task.CachedRequests} requests from the cache, {task.ScoredRequests} scored.").AppendLine();
        var subsets = new List<(string Name, int Items, IReadOnlyDictionary<string, MetricEstimate> Metrics)> { ("full", task.Items, task.Metrics) };
        if (task.Clean is { } clean && clean.Items != task.Items)
        {
            subsets.Add(("clean quality", clean.Items, clean.Metrics));
        }
        subsets.AddRange(task.Contamination.Select(s => (s.Name, s.Items, s.Metrics)));
        text.Append("| metric |");
        foreach (var s in subsets)
        {
            text.Append(CultureInfo.InvariantCulture, $" {s.Name} (n={s.Items}) |");
        }
        text.AppendLine().Append("|---|").AppendLine(string.Concat(subsets.Select(_ => "---|")));
        foreach (var metric in task.MetricNames)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {metric} |");
            foreach (var s in subsets)
            {
                text.Append(' ').Append(s.Metrics.TryGetValue(metric, out var e) ? Format(e) : "—").Append(" |");
            }
            text.AppendLine();
        }
        text.AppendLine();
        if (task.Rotations is { } r)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Rotations ({r.Rotations}): mean accuracy {Format(r.MeanAccuracy)}, strict accuracy {Format(r.StrictAccuracy)}, " +
                $"per-position recall {string.Join(", ", r.PositionRecall.Select(p => $"{Letter(p.Position)} {p.Recall:0.000}"))} (spread {r.RecallSpread:0.000}).").AppendLine();
        }
        if (task.EffectiveLength is { } l)
        {
            text.AppendLine("| length | accuracy |").AppendLine("|---|---|");
            foreach (var length in l.Lengths)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {length.Length} | {Format(length.Accuracy)} |");
            }
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"Effective length at accuracy ≥ {l.Threshold:0.00}: {(l.EffectiveLength is { } e ? Invariant(e) : "none (the shortest length already falls below)")}.").AppendLine();
        }
        if (task.Abstention.Count > 0)
        {
            text.AppendLine("| abstain below | answered | accuracy |").AppendLine("|---|---|---|");
            foreach (var p in task.Abstention)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {p.Threshold:0.0} | {p.Coverage:0.000} | {(p.Accuracy is { } a ? a.ToString("0.000", CultureInfo.InvariantCulture) : "—")} |");
            }
            text.AppendLine();
        }
    }

    public static string Render(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {comparison.ModelB} (B) vs {comparison.ModelA} (A)").AppendLine();
        foreach (var task in comparison.Tasks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {task.Task}").AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{task.SharedRows} shared rows ({task.OnlyInA} only in A, {task.OnlyInB} only in B).").AppendLine();
            text.AppendLine("| metric | A | B | B − A | paired SE | z |").AppendLine("|---|---|---|---|---|---|");
            foreach (var d in task.Metrics)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {d.Metric} | {d.A:0.0000} | {d.B:0.0000} | {d.Difference:+0.0000;-0.0000;0} | {(d.StandardError is { } se ? se.ToString("0.0000", CultureInfo.InvariantCulture) : "—")} | {(d.Z is { } z ? z.ToString("0.00", CultureInfo.InvariantCulture) : "—")} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public static string Format(MetricEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var value = estimate.Value.ToString("0.0000", CultureInfo.InvariantCulture);
        return estimate.StandardError is { } se ? $"{value} ± {se.ToString("0.0000", CultureInfo.InvariantCulture)}" : value;
    }

    private static string Letter(int position) => Tasks.PromptBuilder.Letter(position);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder text, string name, string value) => text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |");
}
