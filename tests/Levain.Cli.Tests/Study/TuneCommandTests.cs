using System.Text.Json;

namespace Levain.Cli.Tests.Study;

/// <summary><c>levain tune</c>, <c>worker</c> and <c>study …</c> in-process on a tiny SQLite study.</summary>
public sealed class TuneCommandTests : IDisposable
{
    private readonly StudyTestFiles _files = new();

    [Fact]
    public async Task Tune_MalformedStudyFile_ExitsTwoWithOneLineNamingFileLineAndField()
    {
        var path = Path.Combine(_files.Path, "bad.yaml");
        await File.WriteAllTextAsync(path, "command: [\"python3\", \"x.py\"]\nparameters:\n  lr: { kind: log, center: 0.1, min: 0 }\n", TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await CliRunner.RunAsync("tune", path);
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"levain tune: {path}:3: parameters.lr.min: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_ThenStudyCommands_FinishReportExportAndPlot()
    {
        var study = _files.Study("inproc", trials: 6, workers: 2, firstDelay: 0.05, laterDelay: 0.05);
        var tune = await CliRunner.RunAsync("tune", study, "--json");
        Assert.True(tune.ExitCode == 0, tune.StdErr);
        var lines = tune.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (var summary = JsonDocument.Parse(lines[^1]))
        {
            Assert.Equal("budget_reached", summary.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(6, summary.RootElement.GetProperty("status").GetProperty("succeeded").GetInt32());
        }
        Assert.Contains(lines, l => l.Contains("\"event\":\"trial_progress\"", StringComparison.Ordinal));

        var show = await CliRunner.RunAsync("study", "show", study, "--json");
        Assert.Equal(0, show.ExitCode);
        using (var report = JsonDocument.Parse(show.StdOut))
        {
            Assert.Equal(6, report.RootElement.GetProperty("trials").GetProperty("succeeded").GetInt32());
            Assert.True(report.RootElement.GetProperty("pareto").GetArrayLength() >= 1);
            Assert.Equal(6, report.RootElement.GetProperty("best_so_far").GetArrayLength());
        }
        var table = await CliRunner.RunAsync("study", "show", study);
        Assert.Contains("Pareto front", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("Best result at each cost", table.StdOut, StringComparison.Ordinal);

        var csv = await CliRunner.RunAsync("study", "export", study, "--format", "csv");
        var rows = csv.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, rows.Length);
        Assert.EndsWith(",x", rows[0], StringComparison.Ordinal);
        var json = await CliRunner.RunAsync("study", "export", "sqlite:" + Path.Combine(_files.Path, "studies.db"), "--format", "json");
        using (var export = JsonDocument.Parse(json.StdOut)) Assert.Equal(6, export.RootElement.GetProperty("trials").GetArrayLength());

        var list = await CliRunner.RunAsync("study", "list", study, "--json");
        Assert.Contains("\"name\":\"inproc\"", list.StdOut, StringComparison.Ordinal);

        var badFactor = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "0");
        Assert.Equal(64, badFactor.ExitCode);
        Assert.Contains("--factor must be a positive number", badFactor.StdErr, StringComparison.Ordinal);
        var scaleUp = await CliRunner.RunAsync("study", "scale-up", study, "--json", "--bootstrap", "20");
        if (scaleUp.ExitCode == 0)
        {
            using var prediction = JsonDocument.Parse(scaleUp.StdOut);
            var metric = prediction.RootElement.GetProperty("prediction").GetProperty("metric");
            Assert.True(metric.GetProperty("lower").GetDouble() <= metric.GetProperty("predicted").GetDouble());
            Assert.Equal(10.0, prediction.RootElement.GetProperty("prediction").GetProperty("factor").GetDouble());
        }
        else
        {
            Assert.Equal(1, scaleUp.ExitCode);
            Assert.Contains("needs at least 3 Pareto points", scaleUp.StdErr, StringComparison.Ordinal);
        }

        var plotDir = Path.Combine(_files.Path, "plots");
        var plot = await CliRunner.RunAsync("study", "plot", study, "--output-dir", plotDir, "--json");
        Assert.Equal(0, plot.ExitCode);
        var files = JsonSerializer.Deserialize<string[]>(plot.StdOut)!;
        Assert.Contains(files, f => f.EndsWith("pareto.png", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("param-x.png", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("best-so-far.png", StringComparison.Ordinal));
        foreach (var f in files)
        {
            var bytes = await File.ReadAllBytesAsync(f, TestContext.Current.CancellationToken);
            Assert.True(bytes.Length > 1000);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
    }

    [Fact]
    public async Task Worker_StudyNeverStarted_ExitsTwo()
    {
        var study = _files.Study("never", trials: 1, workers: 1, firstDelay: 0, laterDelay: 0);
        var (code, _, stderr) = await CliRunner.RunAsync("worker", study);
        Assert.Equal(64, code);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudyShow_NoDatabaseYet_ExitsTwoWithHint()
    {
        var study = _files.Study("unrun", trials: 1, workers: 1, firstDelay: 0, laterDelay: 0);
        var (code, _, stderr) = await CliRunner.RunAsync("study", "show", study);
        Assert.Equal(64, code);
        Assert.Contains("has not been run yet", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
