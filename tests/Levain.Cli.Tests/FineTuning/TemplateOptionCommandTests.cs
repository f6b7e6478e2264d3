using System.Text.Json;
using Levain.Cli.Tests.Eval;
using Levain.Evals.Reports;

namespace Levain.Cli.Tests.FineTuning;

/// <summary><c>levain generate --template</c> and <c>levain eval --model --template</c> on a real (tiny) checkpoint.</summary>
public sealed class TemplateOptionCommandTests(FinetuneFixture fixture) : IClassFixture<FinetuneFixture>
{
    [Fact]
    public async Task Generate_TemplateDollyCompact_PromptIsTheTemplatedInstruction()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("generate", "--model", fixture.Base, "--prompt", "Say hi.", "--template", "dolly-compact",
            "--temperature", "0", "--max-tokens", "3", "--json");
        Assert.True(exit == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal("### Instruction:\nSay hi.\n\n### Response:\n", result.RootElement.GetProperty("prompt").GetString());
        Assert.Equal("dolly-compact", result.RootElement.GetProperty("template").GetString());
        Assert.InRange(result.RootElement.GetProperty("tokens").GetInt32(), 1, 3);
    }

    [Fact]
    public async Task Generate_TemplateModelWithoutTemplateFile_FallsBackToDolly()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("generate", "--model", fixture.Base, "--prompt", "Say hi.", "--template", "model",
            "--temperature", "0", "--max-tokens", "1", "--json");
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("Below is an instruction", JsonDocument.Parse(stdout).RootElement.GetProperty("prompt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_ModelWithTemplate_ScoresTheTemplatedPromptInProcess()
    {
        using var files = new EvalTestFiles();
        var items = files.ClozeItems(2);
        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--model", fixture.Base, "--template", "dolly-compact", "--no-cache", "--out", files.PathOf("out"), "--json");
        Assert.True(exit == 0, stderr);
        var report = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;
        Assert.Equal("dolly-compact", report.Manifest.Template);
        Assert.Equal("### Instruction:\nQuestion: café or crème 1?\nAnswer:\n\n### Response:\n", report.Tasks[0].Rows[1].Prompt);

        var missing = await CliRunner.RunAsync("eval", items, "--model", fixture.Base, "--template", "model", "--no-cache", "--out", files.PathOf("out2"));
        Assert.Equal(64, missing.ExitCode);
        Assert.Contains("has no template.json", missing.StdErr, StringComparison.Ordinal);
    }
}
