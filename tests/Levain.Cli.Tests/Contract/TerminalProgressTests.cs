using System.Text.Json;
using Levain.Evals.Serving;
using Levain.Evals.Tests.Fakes;
using Levain.TestSupport;
using Levain.Web.Serving;

namespace Levain.Cli.Tests.Contract;

/// <summary>
/// Long work shows a live Spectre progress bar on a real terminal (a pseudo-terminal from util-linux <c>script</c>) and
/// plain lines everywhere else: training, tokenizer training, data preparation, evaluation, fleet health checks and tuning
/// (the demo's loop).
/// </summary>
public sealed class TerminalProgressTests : IDisposable
{
    private readonly TempDirectory _dir = new("levain-tty-");

    [Fact]
    public async Task Train_OnATerminal_DrawsABarToHundredPercentInsteadOfProgressLines()
    {
        var tty = await OnTerminalAsync("train", "--steps", "30", "--width", "16", "--depth", "1", "--heads", "2", "--context", "16",
            "--batch", "2", "--eval-items", "0", "--progress-every", "5");
        Assert.Contains("\u001b[", tty, StringComparison.Ordinal); // drawn with escape sequences
        Assert.Contains("step 30/30", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);
        Assert.DoesNotContain("levain-progress", tty, StringComparison.Ordinal);
        Assert.Contains("levain-result {", tty, StringComparison.Ordinal);

        var (exit, stdout, _) = await CliRunner.RunAsync("train", "--steps", "10", "--warmup", "1", "--width", "16", "--depth", "1", "--heads", "2",
            "--context", "16", "--batch", "2", "--eval-items", "0", "--progress-every", "5");
        Assert.Equal(0, exit);
        Assert.InRange(stdout.Split('\n').Count(l => l.StartsWith("levain-progress {", StringComparison.Ordinal)), 2, 3); // every 5 steps (and the first)
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizerTrainAndDataPrepare_OnATerminal_DrawBars_InAPipe_PlainLines()
    {
        var corpus = _dir.File("corpus.txt", string.Join("\n\n", Enumerable.Range(0, 3000).Select(i => $"document {i}: the quick brown fox {i % 37} jumps.")));
        var tty = await OnTerminalAsync("tokenizer", "train", corpus, "--out", _dir["tok"], "--vocab-size", "300");
        Assert.Contains("training tokenizer", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);
        Assert.DoesNotContain("  merges ", tty, StringComparison.Ordinal);

        tty = await OnTerminalAsync("data", "prepare", "--source", $"text={corpus}", "--split", "line", "--tokenizer", "bytes", "--out", _dir["data"]);
        Assert.Contains("preparing data", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);

        var (exit, _, stderr) = await CliRunner.RunAsync("data", "prepare", "--source", $"text={corpus}", "--split", "line", "--tokenizer", "bytes", "--out", _dir["data2"]);
        Assert.Equal(0, exit);
        Assert.Contains("  text: 1,000 documents", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_OnATerminal_DrawsABarOfItemsPerTask_InAPipe_PlainLines_WithJson_None()
    {
        var items = _dir.File("items.jsonl", string.Concat(Enumerable.Range(0, 12).Select(i =>
            $"{{\"id\":\"q{i}\",\"query\":\"Question: café or crème {i}?\\nAnswer:\",\"choices\":[\"café\",\"crème\",\"cat\"],\"gold\":{i % 3}}}\n")));
        await using var server = await CompletionsHost.StartAsync(CharBigramModel.Default, new CompletionsServerOptions(Port: 0), TestContext.Current.CancellationToken);
        var url = server.BaseAddress.ToString();

        var tty = await OnTerminalAsync("eval", items, "--endpoint", url, "--no-cache", "--batch-size", "4", "--out", _dir["tty"]);
        Assert.Contains("eval items", tty, StringComparison.Ordinal);
        Assert.Contains("12/12 items", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);
        Assert.DoesNotContain("items: 12/12 items", tty, StringComparison.Ordinal); // the plain line

        var (exit, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", url, "--no-cache", "--batch-size", "4", "--out", _dir["pipe"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("items: 12/12 items, 39/39 requests (0 from cache)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", stdout + stderr, StringComparison.Ordinal);

        (exit, stdout, stderr) = await CliRunner.RunAsync("eval", items, "--endpoint", url, "--no-cache", "--out", _dir["json"], "--json");
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain(" items, ", stderr, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(stdout);
    }

    [Fact]
    public async Task HealthFleet_OnATerminal_DrawsABarOfHosts_InAPipe_TheCountsLine()
    {
        // Nothing listens on port 1: both hosts are unreachable at once, no SSH server needed.
        var hosts = _dir.File("hosts.txt", "127.0.0.1\n127.0.0.2\n");
        string[] fleet = ["health", "fleet", hosts, "--ssh-port", "1", "--connect-timeout", "3", "--host-timeout", "60", "--state", _dir["state"]];

        var (code, tty) = await RunOnTerminalAsync(fleet);
        Assert.NotEqual(64, code);
        Assert.Contains("checking fleet", tty, StringComparison.Ordinal);
        Assert.Contains("2/2 done, 0 completed, 2 unreachable", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);
        Assert.DoesNotContain("fleet: 2/2 done", tty, StringComparison.Ordinal);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(fleet);
        Assert.Equal(code, exit);
        Assert.Contains("fleet: 2/2 done, 0 completed, 2 unreachable, 0 timed out, 0 failed, ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", stdout + stderr, StringComparison.Ordinal);

        (exit, stdout, stderr) = await CliRunner.RunAsync([.. fleet, "--json"]);
        Assert.Equal(code, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("hosts").GetArrayLength());
        Assert.Contains("fleet: 2/2 done", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_OnATerminal_DrawsATrialsBarWithBestSoFar_InAPipe_StatusLines()
    {
        using var files = new Study.StudyTestFiles();
        var tty = await OnTerminalAsync("tune", files.Study("tty", trials: 3, workers: 2, firstDelay: 0.2, laterDelay: 0.2));
        Assert.Contains("trials", tty, StringComparison.Ordinal);
        Assert.Contains("3/3 done · best ", tty, StringComparison.Ordinal);
        Assert.Contains("100%", tty, StringComparison.Ordinal);
        Assert.Contains("trial 3 succeeded", tty, StringComparison.Ordinal); // event lines scroll above the bar

        var (exit, stdout, stderr) = await CliRunner.RunAsync("tune", files.Study("pipe", trials: 3, workers: 2, firstDelay: 0.2, laterDelay: 0.2));
        Assert.True(exit == 0, stderr);
        Assert.Contains("[done 3/3 · running 0 · failed 0 · best ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("3/3 done · best", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs levain under <c>script</c>, whose child sees a pseudo-terminal; returns everything it drew.</summary>
    private async Task<string> OnTerminalAsync(params string[] args)
    {
        var (code, output) = await RunOnTerminalAsync(args);
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>Runs levain under <c>script</c>; returns its exit code and everything it drew.</summary>
    private async Task<(int ExitCode, string Output)> RunOnTerminalAsync(params string[] args)
    {
        var script = Requirement.Executable("script (util-linux)", "install bsdutils", "/usr/bin/script");
        // script's terminal has no size of its own: give it one, or Spectre lays out for 80 columns.
        var command = "stty cols 160 rows 50; " + string.Join(" ", new[] { "dotnet", LevainProcess.DllPath }.Concat(args).Select(Quote));
        return await ChildProcess.RunAsync(script, ["-qec", command, "/dev/null"], _dir.Path, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["COLUMNS"] = "120", ["TERM"] = "xterm-256color", ["NO_COLOR"] = "" }, TestContext.Current.CancellationToken);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose() => _dir.Dispose();
}
