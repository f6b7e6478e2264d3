using Levain.Core;
using Levain.Evals.Tasks.LmEval;
using YamlDotNet.RepresentationModel;

namespace Levain.Evals.Tasks.Groups;

/// <summary>
/// Reads an lm-eval group config (docs/evals.md, "Task groups"): <c>group</c> (the name), <c>task</c> (a list of member
/// tasks: paths relative to the group file, or names that a <c>task:</c> key of a YAML file beside it carries), and
/// <c>aggregate_metric_list</c> (entries <c>metric</c>, <c>aggregation: mean</c>, <c>weight_by_size</c> — false by
/// default, as in lm-eval — and optionally <c>filter_list</c> naming one filter). <c>group_alias</c> and
/// <c>metadata</c> are ignored; nested groups, inline task definitions and any other key are errors naming them.
/// </summary>
public static class TaskGroupReader
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "group", "task", "aggregate_metric_list", "group_alias", "metadata" };

    /// <summary>Whether a YAML file is a group config: it has <c>group</c> and a <c>task</c> list.</summary>
    public static bool IsGroup(string path)
    {
        if (Path.GetExtension(path).ToLowerInvariant() is not (".yaml" or ".yml") || !File.Exists(path))
        {
            return false;
        }
        try
        {
            var root = LmEvalTaskReader.LoadMapping(path);
            return root.ContainsKey("group") && root.GetValueOrDefault("task") is YamlSequenceNode;
        }
        catch (InputException)
        {
            return false;
        }
    }

    /// <summary>The group and the paths of its member task files, in the order listed.</summary>
    public static (TaskGroup Group, IReadOnlyList<string> MemberPaths) Read(string path)
    {
        var root = LmEvalTaskReader.LoadMapping(path);
        var unknown = root.Keys.Where(k => !Known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InputException(path, Line(root[unknown[0]]), unknown[0], $"unsupported group key(s): {string.Join(", ", unknown)} (supported: {string.Join(", ", Known.Order(StringComparer.Ordinal))})");
        }
        var name = root["group"] is YamlScalarNode { Value: { Length: > 0 } n } ? n : throw new InputException(path, Line(root["group"]), "group", "must be a name");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var members = new List<string>();
        var tasks = (YamlSequenceNode)root["task"];
        for (var i = 0; i < tasks.Children.Count; i++)
        {
            var entry = tasks.Children[i];
            if (entry is not YamlScalarNode { Value: { Length: > 0 } member })
            {
                throw new InputException(path, Line(entry), $"task[{i}]", "inline task definitions and nested groups are not supported; give a task file or a task name");
            }
            var resolved = Resolve(folder, member, path) ?? throw new InputException(path, Line(entry), $"task[{i}]",
                $"'{member}' is neither a file beside the group file nor the 'task:' name of a .yaml file in {folder}");
            if (IsGroup(resolved))
            {
                throw new InputException(path, Line(entry), $"task[{i}]", $"'{member}' is a group; nested groups are not supported");
            }
            members.Add(resolved);
        }
        if (members.Count == 0)
        {
            throw new InputException(path, Line(tasks), "task", "lists no tasks");
        }
        var metrics = root.GetValueOrDefault("aggregate_metric_list") is { } list ? ReadMetrics(path, list) : null;
        return (new TaskGroup(name, [], metrics, Path.GetFullPath(path)), members);
    }

    private static List<GroupMetric> ReadMetrics(string path, YamlNode node)
    {
        if (node is not YamlSequenceNode entries)
        {
            throw new InputException(path, Line(node), "aggregate_metric_list", "must be a list of {metric, aggregation, weight_by_size}");
        }
        var metrics = new List<GroupMetric>();
        for (var i = 0; i < entries.Children.Count; i++)
        {
            var field = $"aggregate_metric_list[{i}]";
            if (entries.Children[i] is not YamlMappingNode entry)
            {
                throw new InputException(path, Line(entries.Children[i]), field, "must be a mapping with 'metric'");
            }
            string? Scalar(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
            var extra = entry.Children.Keys.Select(k => ((YamlScalarNode)k).Value).FirstOrDefault(k => k is not ("metric" or "aggregation" or "weight_by_size" or "filter_list"));
            if (extra is not null)
            {
                throw new InputException(path, Line(entry), $"{field}.{extra}", "unsupported key (supported: metric, aggregation, weight_by_size, filter_list)");
            }
            var lmEvalName = Scalar("metric") ?? throw new InputException(path, Line(entry), $"{field}.metric", "is required");
            var metric = LmEvalTaskReader.MetricMap.GetValueOrDefault(lmEvalName, lmEvalName);
            if (Scalar("aggregation") is { } aggregation && aggregation != "mean")
            {
                throw new InputException(path, Line(entry), $"{field}.aggregation", $"'{aggregation}' is not supported (only mean)");
            }
            var weighted = Scalar("weight_by_size") switch
            {
                null or "false" or "False" => false,
                "true" or "True" => true,
                var other => throw new InputException(path, Line(entry), $"{field}.weight_by_size", $"'{other}' is not true or false"),
            };
            if (entry.Children.TryGetValue(new YamlScalarNode("filter_list"), out var filters))
            {
                var filter = filters switch
                {
                    YamlScalarNode { Value: { } one } => one,
                    YamlSequenceNode { Children: [YamlScalarNode { Value: { } only }] } => only,
                    _ => throw new InputException(path, Line(filters), $"{field}.filter_list", "give one filter name"),
                };
                metric = filter == "none" ? metric : $"{metric},{filter}";
            }
            metrics.Add(new GroupMetric(metric, weighted));
        }
        return metrics;
    }

    private static string? Resolve(string folder, string member, string groupPath)
    {
        var direct = Path.Combine(folder, member);
        if (File.Exists(direct))
        {
            return direct;
        }
        foreach (var candidate in Directory.EnumerateFiles(folder, "*.y*ml").Order(StringComparer.Ordinal))
        {
            if (Path.GetFullPath(candidate) == Path.GetFullPath(groupPath))
            {
                continue;
            }
            try
            {
                if (LmEvalTaskReader.LoadMapping(candidate).GetValueOrDefault("task") is YamlScalarNode { Value: { } name } && name == member)
                {
                    return candidate;
                }
            }
            catch (InputException)
            {
                // Not a task file; keep looking.
            }
        }
        return null;
    }

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
