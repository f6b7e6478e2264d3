using System.Text.Json;
using Levain.Evals.Reports;

namespace Levain.Cli.Tests.Eval;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_RealCheckpoint_EndpointAndInProcessEvalGiveIdenticalScores()
    {
        var ct = TestContext.Current.CancellationToken;
        using var files = new EvalTestFiles();
        var checkpoint = files.PathOf("checkpoint");
        var trained = await CliRunner.RunAsync("train", "--steps", "4", "--warmup", "1", "--eval-items", "0", "--width", "32", "--depth", "1", "--context", "64", "--batch", "4", "--out", checkpoint);
        Assert.True(trained.ExitCode == 0, trained.StdErr);
        var items = files.ClozeItems(8);

        using var server = EvalTestFiles.StartLevain("serve", checkpoint, "--port", "0");
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(line is not null && line.StartsWith("listening on http://127.0.0.1:", StringComparison.Ordinal), line + await ErrorsOf(server));
            var url = line!.Split(' ')[2];

            var remote = await CliRunner.RunAsync("eval", items, "code", "--limit", "8", "--endpoint", url, "--no-cache", "--out", files.PathOf("http"), "--json");
            Assert.True(remote.ExitCode == 0, remote.StdErr);
            var local = await CliRunner.RunAsync("eval", items, "code", "--limit", "8", "--model", checkpoint, "--no-cache", "--out", files.PathOf("local"), "--json");
            Assert.True(local.ExitCode == 0, local.StdErr);

            var viaHttp = JsonSerializer.Deserialize<RunReport>(remote.StdOut, ReportJson.Options)!;
            var inProcess = JsonSerializer.Deserialize<RunReport>(local.StdOut, ReportJson.Options)!;
            Assert.Equal(inProcess.Manifest.ModelId, viaHttp.Manifest.ModelId);
            Assert.Equal("in-process", inProcess.Manifest.Backend);
            Assert.StartsWith("sha256:", inProcess.Manifest.CheckpointHash, StringComparison.Ordinal);
            EvalCommandTests.AssertSameScores(inProcess, viaHttp, tolerance: 1e-5);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(ct);
        }
    }

    [Fact]
    public async Task Serve_MissingCheckpoint_ExitsTwo()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("serve", "/nonexistent/checkpoint", "--port", "0");
        Assert.Equal(64, code);
        Assert.Contains("/nonexistent/checkpoint", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> ErrorsOf(System.Diagnostics.Process process) =>
        process.HasExited ? " " + await process.StandardError.ReadToEndAsync() : "";
}
