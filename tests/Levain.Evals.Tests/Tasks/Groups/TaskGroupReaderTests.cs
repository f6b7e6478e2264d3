using Levain.Core;
using Levain.Evals.Reports;
using Levain.Evals.Running;
using Levain.Evals.Tasks.Groups;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Tasks.Groups;

public sealed class TaskGroupReaderTests
{
    private static string Example(string name) => ExampleTasks.PathOf(name);

    [Fact]
    public void Read_ExampleGroup_MembersByNameAndByFileWithAggregateList()
    {
        Assert.True(TaskGroupReader.IsGroup(Example("tiny_group.yaml")));
        Assert.False(TaskGroupReader.IsGroup(Example("arc_tiny.yaml")));
        var (group, members) = TaskGroupReader.Read(Example("tiny_group.yaml"));
        Assert.Equal("tiny_reasoning", group.Name);
        Assert.Equal([Example("arc_tiny.yaml"), Example("hellaswag_tiny.yaml")], members.Select(Path.GetFullPath));
        Assert.Equal([new GroupMetric("acc", true), new GroupMetric("acc_norm", false)], group.Metrics);
    }

    [Fact]
    public async Task Run_ExampleGroup_ReportsSizeWeightedMeanAndPooledErrorOfMembers()
    {
        var options = new EvalRunOptions { Tasks = [Example("tiny_group.yaml")], BackendKind = "in-process" };
        var (tasks, groups) = EvalRun.Load(options);
        Assert.Equal(["arc_tiny", "hellaswag_tiny"], tasks.Select(t => t.Manifest.Name));
        var report = await EvalRun.RunAsync(CharBigramModel.Default, options, tasks, groups, cancellationToken: TestContext.Current.CancellationToken);

        var group = Assert.Single(report.Groups);
        Assert.Equal(["arc_tiny", "hellaswag_tiny"], group.Tasks);
        var (a, b) = (report.Tasks[0], report.Tasks[1]);
        Assert.Equal(a.Items + b.Items, group.Items);
        var (ma, mb) = (a.Metrics["acc"], b.Metrics["acc"]);
        Assert.Equal(((a.Items * ma.Value) + (b.Items * mb.Value)) / (a.Items + b.Items), group.Metrics["acc"].Value, 1e-12);
        var pooled = (((a.Items - 1) * a.Items * ma.StandardError!.Value * ma.StandardError.Value)
            + ((b.Items - 1) * b.Items * mb.StandardError!.Value * mb.StandardError.Value)) / (a.Items + b.Items - 2);
        Assert.Equal(Math.Sqrt(pooled / (a.Items + b.Items)), group.Metrics["acc"].StandardError!.Value, 1e-12);
        Assert.Equal((a.Metrics["acc_norm"].Value + b.Metrics["acc_norm"].Value) / 2, group.Metrics["acc_norm"].Value, 1e-12);
        Assert.Contains("\"groups\"", ReportJson.Serialize(report), StringComparison.Ordinal);
        Assert.Contains("## group tiny_reasoning", MarkdownReport.Render(report), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("group: g\ntask:\n  - missing_task\n", ":3: task[0]: 'missing_task' is neither a file")]
    [InlineData("group: g\ntask:\n  - task: inline\n", ":3: task[0]: inline task definitions")]
    [InlineData("group: g\ntask:\n  - a.jsonl\naggregate_metric_list:\n  - metric: acc\n    aggregation: median\n", "aggregate_metric_list[0].aggregation: 'median' is not supported")]
    [InlineData("group: g\ntask:\n  - a.jsonl\nprocess_results: x\n", ":4: process_results: unsupported group key(s): process_results")]
    [InlineData("group: g\ntask: []\n", "task: lists no tasks")]
    public void Read_BadGroup_OneErrorNamingFileLineAndField(string yaml, string expected)
    {
        using var temp = new TempDirectory();
        temp.File("a.jsonl", "{\"query\":\"q\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n");
        var path = temp.File("group.yaml", yaml);
        var e = Assert.Throws<InputException>(() => TaskGroupReader.Read(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_GroupMetricMissingFromMember_ErrorNamesMetricAndTask()
    {
        using var temp = new TempDirectory();
        temp.File("a.jsonl", "{\"query\":\"q\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n");
        var path = temp.File("group.yaml", "group: g\ntask:\n  - a.jsonl\naggregate_metric_list:\n  - metric: exact_match\n");
        var options = new EvalRunOptions { Tasks = [path], BackendKind = "in-process" };
        var (tasks, groups) = EvalRun.Load(options);
        var e = await Assert.ThrowsAsync<InputException>(() => EvalRun.RunAsync(CharBigramModel.Default, options, tasks, groups));
        Assert.Contains("metric 'exact_match' is not reported by member task 'a'", e.Message, StringComparison.Ordinal);
    }
}
