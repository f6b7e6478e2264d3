using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals.Reports;
using Levain.Evals.Tests.Fakes;

namespace Levain.Cli.Tests.Eval;

/// <summary><c>levain eval --endpoint URL --chat</c> against a server answering in vLLM's chat-completions shape.</summary>
public sealed class EvalChatCommandTests
{
    /// <summary>What the fake's greedy bigram generates after its chat template, cut at the first newline.</summary>
    private static string GreedyAnswer()
    {
        var model = CharBigramModel.Default;
        var previous = FakeVllmServer.ChatPrompt(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "x" }))[^1];
        var text = new System.Text.StringBuilder();
        for (var t = 0; t < 32; t++)
        {
            previous = (char)model.Top(previous, 1)[0].TokenId;
            text.Append(previous);
        }
        var all = text.ToString();
        return all.Contains('\n', StringComparison.Ordinal) ? all[..all.IndexOf('\n', StringComparison.Ordinal)] : all;
    }

    [Fact]
    public async Task Eval_ChatGenerationTask_SendsMessagesAndScoresExactMatch()
    {
        using var files = new EvalTestFiles();
        using var server = new FakeVllmServer(CharBigramModel.Default);
        var answer = GreedyAnswer();
        Assert.False(string.IsNullOrWhiteSpace(answer));
        var items = files.Write("gen.jsonl",
            "{\"id\":\"g0\",\"context\":\"Say the answer.\",\"gold\":[" + JsonSerializer.Serialize(answer) + "],\"format\":\"generate\"}\n" +
            "{\"id\":\"g1\",\"context\":\"Say something else.\",\"gold\":[\"zzz\"],\"format\":\"generate\"}\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "eval", items, "--endpoint", server.Url, "--chat", "--system-prompt", "Be brief.", "--out", files.PathOf("out"), "--no-cache", "--json");

        Assert.True(code == 0, stderr);
        var report = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;
        Assert.Equal("chat-completions", report.Manifest.Backend);
        Assert.StartsWith("chat:meta-llama/Llama-3.1-8B@", report.Manifest.ModelId, StringComparison.Ordinal);
        var task = Assert.Single(report.Tasks);
        Assert.Equal([answer, answer], task.Rows.Select(r => r.Generated));
        Assert.Equal(0.5, task.Metrics["exact_match"].Value, 1e-12);
        Assert.Contains("<system>\nBe brief.\n<user>\nSay the answer.\n<assistant>\n", server.ChatPrompts);
    }

    [Fact]
    public async Task Eval_ChatWithLogLikelihoodTask_ExitsSixtyFourNamingTaskAndReason()
    {
        using var files = new EvalTestFiles();
        using var server = new FakeVllmServer(CharBigramModel.Default);
        var items = files.ClozeItems(3);

        var (code, _, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.Url, "--chat", "--out", files.PathOf("out"), "--no-cache");

        Assert.Equal(64, code);
        Assert.Contains("task 'items' needs log-likelihoods of given answers (cloze format)", stderr, StringComparison.Ordinal);
        Assert.Contains("/v1/chat/completions cannot give", stderr, StringComparison.Ordinal);
        Assert.Equal(0, server.CompletionRequests); // refused before any request
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_ChatWithoutEndpoint_ExitsSixtyFour()
    {
        using var files = new EvalTestFiles();
        var (code, _, stderr) = await CliRunner.RunAsync("eval", files.ClozeItems(2), "--model", files.PathOf("none"), "--chat");
        Assert.Equal(64, code);
        Assert.Contains("--chat and --system-prompt need --endpoint", stderr, StringComparison.Ordinal);
    }
}
