using System.Text.Json;
using Levain.Evals.Backends;
using Levain.Evals.Reports;
using Levain.Evals.Serving;
using Levain.Evals.Tests.Fakes;
using Levain.Web.Serving;

namespace Levain.Cli.Tests.Eval;

/// <summary><c>levain eval --template</c>: the exact text scored and generated from is the fine-tuning template's prompt.</summary>
public sealed class EvalTemplateCommandTests
{
    private const string DollyPrompt =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
        "### Instruction:\nQuestion: café or crème 0?\nAnswer:\n\n### Response:\n";

    [Fact]
    public async Task Eval_TemplateDolly_RowsHoldTemplatedPromptAndScoresAnswerRightAfterIt()
    {
        using var files = new EvalTestFiles();
        await using var server = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(), TestContext.Current.CancellationToken);
        var items = files.ClozeItems(2);

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--template", "dolly", "--no-cache", "--out", files.PathOf("out"), "--json");

        Assert.True(code == 0, stderr);
        var report = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;
        Assert.Equal("dolly", report.Manifest.Template);
        var row = report.Tasks[0].Rows[0];
        Assert.Equal(DollyPrompt, row.Prompt);
        var expected = (await CharBigramModel.Default.ScoreAsync([new ScoreRequest(DollyPrompt, "café")], TestContext.Current.CancellationToken))[0];
        Assert.Equal(expected.LogLikelihood, row.Choices[0].LogLikelihood, 1e-5);
    }

    [Fact]
    public async Task Eval_TemplateChatOnGeneration_PromptIsOneUserTurnEndingAtAssistantMarker()
    {
        using var files = new EvalTestFiles();
        await using var server = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(), TestContext.Current.CancellationToken);
        var items = files.Write("gen.jsonl", "{\"id\":\"g\",\"context\":\"x = 3\\nprint(x + 4)\",\"gold\":[\"7\"],\"format\":\"generate\"}\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--template", "chat", "--no-cache", "--out", files.PathOf("out"), "--json");

        Assert.True(code == 0, stderr);
        var row = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!.Tasks[0].Rows[0];
        Assert.Equal("<|user|>\nx = 3\nprint(x + 4)\n<|assistant|>\n", row.Prompt);
        Assert.DoesNotContain("<|end|>", row.Generated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model", "reads the template.json of a --model checkpoint")]
    [InlineData("no-such-template", "neither a built-in template")]
    public async Task Eval_BadTemplate_ExitsSixtyFour(string template, string expected)
    {
        using var files = new EvalTestFiles();
        var (code, _, stderr) = await CliRunner.RunAsync("eval", files.ClozeItems(1), "--endpoint", "http://127.0.0.1:9/", "--template", template);
        Assert.Equal(64, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_TemplateWithSpecialTokens_ExitsSixtyFourNamingThem()
    {
        using var files = new EvalTestFiles();
        var template = files.Write("special.json", "{\"name\":\"sp\",\"end\":\"<|eot|>\",\"special_tokens\":[\"<|eot|>\"]}");
        var (code, _, stderr) = await CliRunner.RunAsync("eval", files.ClozeItems(1), "--endpoint", "http://127.0.0.1:9/", "--template", template);
        Assert.Equal(64, code);
        Assert.Contains("special_tokens", stderr, StringComparison.Ordinal);
        Assert.Contains("<|eot|>", stderr, StringComparison.Ordinal);
    }
}
