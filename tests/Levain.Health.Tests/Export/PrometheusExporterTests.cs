using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Export;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Export;

public sealed class PrometheusExporterTests
{
    private static NodeReport Node(TempDirectory temp, string name, IReadOnlyDictionary<string, string?>? replace = null)
    {
        var dir = FixtureBundle.Write(temp.Combine(name), replace, host: name);
        return new NodeAnalyzer(FixtureBundle.Profile, null, TimeProvider.System).Analyze(BundleReader.Read(dir));
    }

    [Fact]
    public void Render_FaultyAndOddNodes_ValidExpositionFormat()
    {
        using var temp = new TempDirectory();
        var nodes = new[]
        {
            Node(temp, "gpu-node-01"),
            Node(temp, "gpu-node-02", new Dictionary<string, string?> { [BundleFiles.KernelLog] = "dmesg/xid-hardware.txt", [BundleFiles.NvidiaSmiXml] = "nvidia-smi/h100-vbios-mismatch.xml" }),
            Node(temp, "weird \"quoted\" \\ host", new Dictionary<string, string?> { [BundleFiles.Df] = null }),
        };
        var text = PrometheusExporter.Render(nodes, null, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        Assert.Empty(PrometheusTextValidator.Validate(text));
        Assert.Contains("levain_health_node_status{host=\"gpu-node-01\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_node_status{host=\"gpu-node-02\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_node_status{host=\"weird \\\"quoted\\\" \\\\ host\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_xid_events_total{host=\"gpu-node-02\",code=\"94\",gpu=\"gpu2 (00000000:3A:00.0)\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE levain_health_xid_events_total counter", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_check_duration_seconds{host=\"gpu-node-01\",check=\"gpu\"}", text, StringComparison.Ordinal);
        Assert.Contains("levain_health_last_run_timestamp_seconds 1795176000\n", text, StringComparison.Ordinal);
        // two gpu.versions findings for one subject collapse into one series (worst severity)
        Assert.Single(text.Split('\n'), l => l.StartsWith("levain_health_check_status{host=\"gpu-node-02\",check=\"gpu.versions\",subject=\"gpu3", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_ReplacesFileAtomicallyAndLeavesNoTempFiles()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("textfile", "levain.prom");
        var node = Node(temp, "gpu-node-01");
        PrometheusExporter.Write(path, [node], null, DateTimeOffset.UnixEpoch);
        var first = File.ReadAllText(path);
        PrometheusExporter.Write(path, [node, Node(temp, "gpu-node-02")], null, DateTimeOffset.UnixEpoch);
        var second = File.ReadAllText(path);
        Assert.NotEqual(first, second);
        Assert.Empty(PrometheusTextValidator.Validate(second));
        Assert.Equal(["levain.prom"], Directory.GetFiles(temp.Combine("textfile")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AtomicFile_ReaderNeverSeesPartialContent()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("x.prom");
        var small = new string('a', 10) + "\n";
        var large = new string('b', 2_000_000) + "\n";
        AtomicFile.WriteAllText(path, small);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var seen = 0;
            while (!stop.IsCancellationRequested || seen == 0)
            {
                var text = File.ReadAllText(path);
                Assert.True(text == small || text == large, $"partial read of {text.Length} chars");
                seen++;
            }
            return seen;
        });
        for (var i = 0; i < 20; i++)
        {
            AtomicFile.WriteAllText(path, i % 2 == 0 ? large : small);
        }
        stop.Cancel();
        Assert.True(await reader > 0);
    }
}
