using System.Diagnostics;
using Levain.Runner.Launchers;
using Levain.Runner.Protocol;
using Levain.Runner.Tests.Support;

namespace Levain.Runner.Tests.Launchers;

/// <summary>Bounded trial output: a 200 MB trial keeps a log within the cap, its result, and a flat memory profile.</summary>
public sealed class LocalLauncherOutputTests : IDisposable
{
    /// <summary>2,000,000 numbered lines of 100 bytes (200 MB), one 30 MB line with no newline until its end, a result.</summary>
    private const string Flood = """
        import sys
        out = sys.stdout
        out.write("levain-progress {\"phase\": \"start\"}\n")
        for block in range(200):
            out.write("".join("line %09d %s\n" % (block * 10000 + i, "x" * 84) for i in range(10000)))
            if block == 100:
                out.write("y" * 30_000_000 + "\n")
        out.write("levain-result {\"loss\": 0.25}\n")
        out.write("the very last line\n")
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RunAsync_TrialPrints200MB_LogWithinCapHeadAndTailKeptResultRecordedMemoryFlat()
    {
        var script = _dir.File("flood.py", Flood);
        var log = Path.Combine(_dir.Path, "trial-1.attempt-1.log");
        var launch = new TrialLaunch("t-1", ["python3", script], _dir.Path, new Dictionary<string, string>(), log, Path.Combine(_dir.Path, "r.json"), null);
        var limits = new OutputLimits(LogCapBytes: 4L * 1024 * 1024, MaxLineChars: 4096);
        var progress = new List<string>();

        using var self = Process.GetCurrentProcess();
        GC.Collect();
        self.Refresh();
        var baseline = self.WorkingSet64;
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        var result = await new LocalLauncher(outputLimits: limits).RunAsync(launch, progress.Add, TestContext.Current.CancellationToken);
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(LaunchStatus.Exited, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"loss\": 0.25}", result.ResultJson);
        Assert.Equal(["{\"phase\": \"start\"}"], progress);
        var size = new FileInfo(log).Length;
        Assert.InRange(size, limits.LogCapBytes / 2, limits.LogCapBytes + 1024);
        var text = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
        Assert.Contains("line 000000000 ", text, StringComparison.Ordinal);
        Assert.Contains("line 001999999 ", text, StringComparison.Ordinal);
        Assert.Contains("the very last line", text, StringComparison.Ordinal);
        Assert.Contains("output cut here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("line 001000000 ", text, StringComparison.Ordinal);
        // 200 MB passed through; holding it (or the 30 MB line, 60 MB as UTF-16) would show here.
        Assert.True(peak - baseline < 60L * 1024 * 1024, $"working set grew by {(peak - baseline) / 1048576} MiB");
    }

    [Fact]
    public async Task RunAsync_LineLongerThanLimit_CutAndMarked()
    {
        var log = Path.Combine(_dir.Path, "long.log");
        var launch = new TrialLaunch("t-2", ["python3", "-c", "print('z' * 100000); print('levain-result {\"loss\": 1}')"], _dir.Path,
            new Dictionary<string, string>(), log, Path.Combine(_dir.Path, "r2.json"), null);
        var result = await new LocalLauncher(outputLimits: new OutputLimits(MaxLineChars: 1000)).RunAsync(launch, null, TestContext.Current.CancellationToken);
        Assert.Equal("{\"loss\": 1}", result.ResultJson);
        var lines = await File.ReadAllLinesAsync(log, TestContext.Current.CancellationToken);
        var cut = Assert.Single(lines, l => l.StartsWith('z'));
        Assert.StartsWith(new string('z', 1000) + " ... [levain: line cut, 99000 more characters left out]", cut, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
