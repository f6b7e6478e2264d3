using System.Diagnostics;
using System.Text.Json;
using Levain.Evals.Reports;
using Levain.Evals.Running;
using Levain.Evals.Serving;
using Levain.Web.Serving;
using Levain.Evals.Tests.Fakes;

namespace Levain.Cli.Tests.Eval;

public sealed class EvalCommandTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Root_ListsEvalAndServe()
    {
        var root = LevainApp.CreateRoot();
        Assert.Contains(root.Subcommands, c => c.Name == "eval");
        Assert.Contains(root.Subcommands, c => c.Name == "serve");
    }

    [Fact]
    public async Task Eval_MalformedItemsFile_ExitsTwoNamingFileLineAndField()
    {
        using var files = new EvalTestFiles();
        var path = files.Write("bad.jsonl", "{\"question\":\"Q\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n{\"question\":\"Q2\",\"choices\":[\"a\",\"b\"],\"gold\":7}\n");

        var (code, _, stderr) = await CliRunner.RunAsync("eval", path, "--endpoint", "http://127.0.0.1:9/");

        Assert.Equal(64, code);
        Assert.Contains($"{path}:2: gold:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_NoBackend_ExitsTwo()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("eval", "code");
        Assert.Equal(64, code);
        Assert.Contains("--model", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_EndpointAndInProcess_GiveIdenticalScores()
    {
        using var files = new EvalTestFiles();
        var items = files.ClozeItems(12);
        var model = CharBigramModel.Default;
        await using var server = await CompletionsHost.StartAsync(model, new CompletionsServerOptions(Port: 0), TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--out", files.PathOf("http"), "--no-cache", "--json");
        Assert.True(code == 0, stderr);
        var viaHttp = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;

        var options = new EvalRunOptions { Tasks = [items], BackendKind = "in-process" };
        var inProcess = await EvalRun.RunAsync(model, options, EvalRun.LoadTasks(options), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("completions", viaHttp.Manifest.Backend);
        Assert.Equal(model.ModelId, viaHttp.Manifest.ModelId);
        AssertSameScores(inProcess, viaHttp);
        Assert.True(File.Exists(Path.Combine(files.PathOf("http"), "report.md")));
    }

    [Fact]
    public async Task Eval_EndpointWithoutPromptLogProbs_FailsSelfTestWithClearMessage()
    {
        using var files = new EvalTestFiles();
        using var stub = new StubHttpServer(_ => """{"choices":[{"index":0,"text":"x","logprobs":null}]}""");

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", files.ClozeItems(3), "--endpoint", stub.Url, "--out", files.PathOf("out"));

        Assert.Equal(1, code);
        Assert.Contains("self-test failed", stderr, StringComparison.Ordinal);
        Assert.Contains("log-probabilities", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(files.PathOf("out"), "report.json")));
        Assert.DoesNotContain("acc", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_KilledChildProcess_ResumesFromCacheWithIdenticalResults()
    {
        using var files = new EvalTestFiles();
        var items = files.ClozeItems(30);
        var slow = new CharBigramModel(TrainingText) { DelayPerCall = TimeSpan.FromMilliseconds(40) };
        await using var server = await CompletionsHost.StartAsync(slow, new CompletionsServerOptions(Port: 0), TestContext.Current.CancellationToken);
        var cacheDir = files.PathOf("cache");
        var cacheFile = Path.Combine(cacheDir, "results.jsonl");

        using (var child = EvalTestFiles.StartLevain("eval", items, "--endpoint", server.BaseAddress.ToString(), "--batch-size", "2", "--cache", cacheDir, "--out", files.PathOf("killed"), "--json"))
        {
            var deadline = Stopwatch.StartNew();
            while (LineCount(cacheFile) < 10 && !child.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            if (child.HasExited)
            {
                Assert.Fail("the eval finished before it could be killed: " + await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            }
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        var cachedBeforeResume = LineCount(cacheFile);
        Assert.False(File.Exists(Path.Combine(files.PathOf("killed"), "report.json")), $"the killed run finished ({cachedBeforeResume} cache lines)");
        Assert.InRange(cachedBeforeResume, 10, 89);

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--batch-size", "2", "--cache", cacheDir, "--out", files.PathOf("resumed"), "--json");
        Assert.True(code == 0, stderr);
        var resumed = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;
        Assert.InRange(resumed.Tasks[0].CachedRequests, 10, cachedBeforeResume);
        Assert.True(resumed.Tasks[0].ScoredRequests > 0);

        var fresh = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--no-cache", "--out", files.PathOf("fresh"), "--json");
        Assert.Equal(0, fresh.ExitCode);
        var reference = JsonSerializer.Deserialize<RunReport>(fresh.StdOut, ReportJson.Options)!;
        AssertSameScores(reference, resumed, tolerance: 0);
    }

    [Fact]
    public async Task Compare_TwoReports_PrintsPairedDifferences()
    {
        using var files = new EvalTestFiles();
        var items = files.ClozeItems(9);
        await using var a = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(), TestContext.Current.CancellationToken);
        await using var b = await CompletionsHost.StartAsync(new CharBigramModel("Question: café or crème? Answer: crème. five résumé fox"), new CompletionsServerOptions(), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await CliRunner.RunAsync("eval", items, "--endpoint", a.BaseAddress.ToString(), "--out", files.PathOf("a"), "--no-cache", "--json")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("eval", items, "--endpoint", b.BaseAddress.ToString(), "--out", files.PathOf("b"), "--no-cache", "--json")).ExitCode);

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", "compare", Path.Combine(files.PathOf("a"), "report.json"), Path.Combine(files.PathOf("b"), "report.json"), "--json");

        Assert.True(code == 0, stderr);
        var comparison = JsonSerializer.Deserialize<RunComparison>(stdout, ReportJson.Options)!;
        var task = Assert.Single(comparison.Tasks);
        Assert.Equal(9, task.SharedRows);
        var nll = task.Metrics.Single(m => m.Metric == "nll_correct");
        Assert.Equal(nll.B - nll.A, nll.Difference, 1e-12);
        Assert.NotNull(nll.StandardError);
    }

    [Fact]
    public async Task Compare_NotAReport_ExitsTwo()
    {
        using var files = new EvalTestFiles();
        var bad = files.Write("bad.json", "[1, 2");
        var (code, _, stderr) = await CliRunner.RunAsync("eval", "compare", bad, bad);
        Assert.Equal(64, code);
        Assert.Contains(bad, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexThenEval_WithContamination_SplitsOverlappingItems()
    {
        using var files = new EvalTestFiles();
        var items = files.Write("items.jsonl",
            "{\"id\":\"leak\",\"question\":\"one two three four five six seven eight nine ten eleven twelve thirteen fourteen\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n" +
            "{\"id\":\"clean\",\"question\":\"the quick brown fox\",\"choices\":[\"a\",\"b\"],\"gold\":1}\n");
        var corpus = files.Write("corpus.txt", "prefix one two three four five six seven eight nine ten eleven twelve thirteen suffix\n");
        var index = files.PathOf("corpus.idx");
        var built = await CliRunner.RunAsync("eval", "index", corpus, "--out", index);
        Assert.True(built.ExitCode == 0, built.StdErr);
        await using var server = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(), TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", server.BaseAddress.ToString(), "--contamination", index, "--out", files.PathOf("out"), "--no-cache", "--json");

        Assert.True(code == 0, stderr);
        var report = JsonSerializer.Deserialize<RunReport>(stdout, ReportJson.Options)!;
        var task = report.Tasks[0];
        Assert.True(task.Rows.Single(r => r.ItemId == "leak").Overlap > 0);
        Assert.Equal(0, task.Rows.Single(r => r.ItemId == "clean").Overlap);
        Assert.Equal([1, 1], task.Contamination.Select(s => s.Items));
    }

    internal static void AssertSameScores(RunReport expected, RunReport actual, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Tasks.Count, actual.Tasks.Count);
        for (var t = 0; t < expected.Tasks.Count; t++)
        {
            var (e, a) = (expected.Tasks[t], actual.Tasks[t]);
            Assert.Equal(e.Rows.Count, a.Rows.Count);
            for (var i = 0; i < e.Rows.Count; i++)
            {
                Assert.Equal(e.Rows[i].ItemId, a.Rows[i].ItemId);
                for (var j = 0; j < e.Rows[i].Choices.Count; j++)
                {
                    Assert.Equal(e.Rows[i].Choices[j].LogLikelihood, a.Rows[i].Choices[j].LogLikelihood, tolerance);
                    Assert.Equal(e.Rows[i].Choices[j].TokenCount, a.Rows[i].Choices[j].TokenCount);
                }
                foreach (var (metric, value) in e.Rows[i].Scores)
                {
                    Assert.Equal(value, a.Rows[i].Scores[metric], tolerance);
                }
            }
            foreach (var (metric, estimate) in e.Metrics)
            {
                Assert.Equal(estimate.Value, a.Metrics[metric].Value, tolerance);
            }
        }
    }

    private static int LineCount(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith('}'))
            {
                count++;
            }
        }
        return count;
    }

    private const string TrainingText =
        "the quick brown fox jumps over the lazy dog. a cat sat on the mat. Question: café or crème? Answer: café. naïve résumé";
}
