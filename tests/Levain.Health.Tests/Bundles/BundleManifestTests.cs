using Levain.Core;
using System.Text.Json;
using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Bundles;

public sealed class BundleManifestTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_Manifest_SnakeCaseKeysAndVersion2()
    {
        using var temp = new TempDirectory();
        var record = new CommandRecord(BundleFiles.NvidiaSmiXml, "nvidia-smi -q -x", CaptureStatus.TimedOut, -1, 20.0, "after 20 s");
        var manifest = new BundleManifest("n1", At, "h100-hgx", ["nvidia-fabricmanager"], [record]);
        BundleWriter.Write(new Bundle("n1", At, manifest, [new CapturedOutput(BundleFiles.NvidiaSmiXml, CaptureStatus.TimedOut, "<?xml", "after 20 s")]), temp.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(temp.Combine(BundleFiles.Manifest)));
        var root = json.RootElement;
        Assert.Equal(["host", "captured_at", "profile", "services", "commands", "format_version"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("format_version").GetInt32());
        var command = root.GetProperty("commands")[0];
        Assert.Equal(["file", "command", "status", "exit_code", "duration_seconds", "detail"], command.EnumerateObject().Select(p => p.Name));
        Assert.Equal("timed-out", command.GetProperty("status").GetString());

        var back = BundleReader.Read(temp.Path);
        Assert.Equal(At, back.CapturedAt);
        Assert.Equal(CaptureStatus.TimedOut, back.Get(BundleFiles.NvidiaSmiXml).Status);
        Assert.Equal(2, back.Manifest!.FormatVersion);
    }

    [Fact]
    public void Read_LegacyCamelCaseManifest_StillRead()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine(BundleFiles.Manifest),
            """{ "host": "old-node", "capturedAt": "2026-11-20T12:00:00+00:00", "services": [], "commands": [ { "file": "dmesg.txt", "command": "dmesg", "status": "failed", "exitCode": 1, "durationSeconds": 0.1, "detail": "exit 1" } ] }""");
        var bundle = BundleReader.Read(temp.Path);
        Assert.Equal("old-node", bundle.Host);
        Assert.Equal(At, bundle.CapturedAt);
        Assert.Equal(1, bundle.Manifest!.FormatVersion);
        Assert.Equal(CaptureStatus.Failed, bundle.Get(BundleFiles.KernelLog).Status);
        Assert.Equal(1, bundle.Manifest.Commands[0].ExitCode);
    }

    [Theory]
    [InlineData("""{ "host": "n1", "services": [], "commands": [] }""", "captured_at")]
    [InlineData("""{ "host": "", "captured_at": "2026-11-20T12:00:00Z" }""", "host")]
    [InlineData("""{ "host": "n1", "captured_at": "yesterday" }""", "captured_at")]
    [InlineData("""[1, 2]""", "manifest")]
    public void Read_BadManifest_NamesFileAndField(string text, string field)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine(BundleFiles.Manifest), text);
        var e = Assert.Throws<InputException>(() => BundleReader.Read(temp.Path));
        Assert.Contains(BundleFiles.Manifest, e.File, StringComparison.Ordinal);
        Assert.Contains(field, e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoManifestWithCapturedAt_EventsJudgedAgainstCaptureTime()
    {
        using var temp = new TempDirectory();
        var dir = FixtureBundle.Write(temp.Combine("hand-made"), new Dictionary<string, string?> { [BundleFiles.KernelLog] = "dmesg/xid-hardware.txt" }, withManifest: false);
        var analyzer = new NodeAnalyzer(FixtureBundle.Profile, null, TimeProvider.System);

        // Judged as of now (weeks after the capture), the XIDs have aged out of the 24 h window...
        var asOfNow = analyzer.Analyze(BundleReader.Read(dir));
        Assert.DoesNotContain(asOfNow.Results, r => r.CheckId == CheckIds.KernelXid && r.Severity == Severity.Critical);

        // ...judged as of the capture time they are what they were: critical.
        var asCaptured = analyzer.Analyze(BundleReader.Read(dir, At));
        Assert.Equal(At, asCaptured.AnalyzedAt);
        Assert.Equal("hand-made", asCaptured.Host);
        Assert.Contains(asCaptured.Results, r => r.CheckId == CheckIds.KernelXid && r.Severity == Severity.Critical);
    }

    [Fact]
    public void Read_ManifestAndCapturedAt_ManifestWins()
    {
        using var temp = new TempDirectory();
        var dir = FixtureBundle.Write(temp.Combine("b"));
        Assert.Equal(FixtureBundle.CapturedAt, BundleReader.Read(dir, At.AddDays(3)).CapturedAt);
    }
}
