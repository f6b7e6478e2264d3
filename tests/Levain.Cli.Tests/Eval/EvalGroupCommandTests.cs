using System.Text.Json.Nodes;
using Levain.Evals.Serving;
using Levain.Evals.Tests.Fakes;
using Levain.Web.Serving;

namespace Levain.Cli.Tests.Eval;

/// <summary><c>levain eval GROUP.yaml</c>: the group's aggregates in the JSON report and in the human tables.</summary>
public sealed class EvalGroupCommandTests
{
    private static string Example(string name) => ExampleTasks.PathOf(name);

    [Fact]
    public async Task Eval_GroupConfig_JsonAndTablesCarryPooledAggregates()
    {
        using var files = new EvalTestFiles();
        await using var server = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(), TestContext.Current.CancellationToken);
        var group = Example("tiny_group.yaml");

        var json = await CliRunner.RunAsync("eval", group, "--endpoint", server.BaseAddress.ToString(), "--no-cache", "--out", files.PathOf("json"), "--json");
        Assert.True(json.ExitCode == 0, json.StdErr);
        var report = JsonNode.Parse(json.StdOut)!;
        var aggregate = report["groups"]![0]!;
        Assert.Equal("tiny_reasoning", (string?)aggregate["name"]);
        Assert.Equal(["arc_tiny", "hellaswag_tiny"], aggregate["tasks"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("pooled", (string?)aggregate["metrics"]!["acc"]!["method"]);
        Assert.Equal("independent", (string?)aggregate["metrics"]!["acc_norm"]!["method"]);
        var tasks = report["tasks"]!.AsArray();
        var sizes = tasks.Select(t => (int)t!["items"]!).ToArray();
        var accs = tasks.Select(t => (double)t!["metrics"]!["acc"]!["value"]!).ToArray();
        Assert.Equal(sizes.Sum(), (int)aggregate["items"]!);
        Assert.Equal(((sizes[0] * accs[0]) + (sizes[1] * accs[1])) / sizes.Sum(), (double)aggregate["metrics"]!["acc"]!["value"]!, 1e-12);

        var human = await CliRunner.RunAsync("eval", group, "--endpoint", server.BaseAddress.ToString(), "--no-cache", "--out", files.PathOf("human"));
        Assert.True(human.ExitCode == 0, human.StdErr);
        Assert.Contains("group tiny_reasoning (2 tasks", human.StdOut, StringComparison.Ordinal);
        Assert.Contains("pooled", human.StdOut, StringComparison.Ordinal);
        Assert.Contains("## group tiny_reasoning", await File.ReadAllTextAsync(files.PathOf("human/report.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
