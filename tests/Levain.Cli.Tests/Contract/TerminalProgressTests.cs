using Levain.TestSupport;

namespace Levain.Cli.Tests.Contract;

/// <summary>
/// Long work shows a live Spectre progress bar on a real terminal (a pseudo-terminal from util-linux <c>script</c>) and
/// plain lines everywhere else: training, tokenizer training and data preparation.
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

    /// <summary>Runs levain under <c>script</c>, whose child sees a pseudo-terminal; returns everything it drew.</summary>
    private async Task<string> OnTerminalAsync(params string[] args)
    {
        var script = Requirement.Executable("script (util-linux)", "install bsdutils", "/usr/bin/script");
        var command = string.Join(" ", new[] { "dotnet", Study.LevainProcess.DllPath }.Concat(args).Select(Quote));
        var (code, output) = await ChildProcess.RunAsync(script, ["-qec", command, "/dev/null"], _dir.Path, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["COLUMNS"] = "120", ["TERM"] = "xterm-256color", ["NO_COLOR"] = "" }, TestContext.Current.CancellationToken);
        Assert.True(code == 0, output);
        return output;
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose() => _dir.Dispose();
}
