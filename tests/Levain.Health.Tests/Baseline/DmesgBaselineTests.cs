using Levain.Core;
using Levain.Health.Analysis;
using Levain.Health.Baseline;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Parsing.Kernel;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Baseline;

public sealed class DmesgBaselineTests
{
    private static IReadOnlyList<KernelLogLine> Parse(string text) => KernelLogParser.Parse(text);

    private static DmesgBaseline LearnFromHealthy(int seed, int nodes)
    {
        var random = new Random(seed);
        return DmesgBaseline.Learn(Enumerable.Range(0, nodes).Select(n => Parse(SyntheticBootLogs.Healthy(random, n))).ToList());
    }

    [Fact]
    public void Learn_SyntheticHealthyBoots_OneTemplatePerLine()
    {
        var baseline = LearnFromHealthy(seed: 11, nodes: 12);
        Assert.Equal(12, baseline.NodeCount);
        // 18 lines per log; the four GPU lines share one template
        Assert.Equal(15, baseline.Entries.Count);
        Assert.All(baseline.Entries, e => Assert.Equal(12, e.Nodes));
        var first = baseline.Entries.First();
        Assert.StartsWith("Linux version", first.Template, StringComparison.Ordinal);
        Assert.Equal(0, first.MedianPosition);
    }

    [Fact]
    public void FindUnseen_AnotherHealthyNode_NothingFlagged()
    {
        var baseline = LearnFromHealthy(seed: 11, nodes: 12);
        var fresh = Parse(SyntheticBootLogs.Healthy(new Random(999), 40));
        Assert.Empty(baseline.FindUnseen(fresh));
    }

    [Fact]
    public void FindUnseen_NewLines_FlaggedInLogOrderWithCounts()
    {
        var baseline = LearnFromHealthy(seed: 11, nodes: 12);
        var log = SyntheticBootLogs.Healthy(new Random(5), 3)
            + "[  300.100000] mlx5_core 0000:5e:00.0: mlx5_pcie_event:301:(pid 812): PCIe slot power capability was not advertised.\n"
            + "[  301.000000] ACPI Error: AE_NOT_FOUND, While resolving a named reference package element (20210730/dspkginit-438)\n"
            + "[  302.000000] ACPI Error: AE_NOT_FOUND, While resolving a named reference package element (20210730/dspkginit-440)\n";
        var unseen = baseline.FindUnseen(Parse(log));
        Assert.Equal(2, unseen.Count);
        Assert.Contains("PCIe slot power capability", unseen[0].Template, StringComparison.Ordinal);
        Assert.Equal(1, unseen[0].Occurrences);
        Assert.Equal(2, unseen[1].Occurrences); // same template twice
        Assert.Contains("dspkginit-438", unseen[1].Example, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveLoad_RoundTrip_SameVerdicts()
    {
        using var temp = new TempDirectory();
        var baseline = LearnFromHealthy(seed: 3, nodes: 5);
        var path = temp.Combine("baseline.json");
        baseline.Save(path);
        var loaded = DmesgBaseline.Load(path);
        Assert.Equal(baseline.NodeCount, loaded.NodeCount);
        Assert.Equal(baseline.Entries.Select(e => e.Template), loaded.Entries.Select(e => e.Template));
        var probe = Parse(SyntheticBootLogs.Healthy(new Random(8), 1) + "[ 9.0] brand new line 42\n");
        Assert.Equal(baseline.FindUnseen(probe), loaded.FindUnseen(probe));
    }

    [Fact]
    public void Load_NotABaseline_InputErrorNamingFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("b.json");
        File.WriteAllText(path, "{ \"version\": 1, \"nodeCount\": \"many\" }");
        var e = Assert.Throws<InputException>(() => DmesgBaseline.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("nodeCount", e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WithBaseline_FlagsUnseenButCriticalPatternsStayOn()
    {
        using var temp = new TempDirectory();
        // learn from the healthy fixture itself (and a renumbered copy), then analyse the XID log
        var healthy = Fixture.Text("dmesg/healthy-iso.txt");
        var baseline = DmesgBaseline.Learn([Parse(healthy), Parse(healthy.Replace("nvme0n1", "nvme1n1", StringComparison.Ordinal))]);
        var analyzer = new NodeAnalyzer(FixtureBundle.Profile, baseline, TimeProvider.System);

        var clean = analyzer.Analyze(FixtureBundle.Read(temp, name: "clean"));
        Assert.Equal(Severity.Ok, Assert.Single(clean.Results, r => r.CheckId == CheckIds.KernelBaseline).Severity);

        var faulty = analyzer.Analyze(FixtureBundle.Read(temp, new Dictionary<string, string?> { [BundleFiles.KernelLog] = "dmesg/xid-hardware.txt" }, "faulty"));
        var flagged = Assert.Single(faulty.Results, r => r.CheckId == CheckIds.KernelBaseline);
        Assert.Equal(Severity.Warning, flagged.Severity);
        Assert.Contains(flagged.Evidence, e => e.Contains("Xid", StringComparison.Ordinal));
        Assert.Contains(faulty.Results, r => r.CheckId == CheckIds.KernelXid && r.Severity == Severity.Critical);
        Assert.NotEmpty(faulty.UnseenTemplates);
    }

    [Fact]
    public void FleetConsensus_RanksUnseenLinesByFleetRarity()
    {
        var baseline = LearnFromHealthy(seed: 21, nodes: 6);
        var random = new Random(77);
        const string Common = "[ 500.0] usb 1-1: device descriptor read/64, error -71\n";
        const string Rare = "[ 501.0] NVRM: nvAssertOkFailedNoLog: Assertion failed: Call timed out [NV_ERR_TIMEOUT]\n";
        var analyzer = new NodeAnalyzer(Levain.Health.Profiles.HealthProfile.Default, baseline, TimeProvider.System);
        var nodes = Enumerable.Range(0, 4).Select(i =>
        {
            var log = SyntheticBootLogs.Healthy(random, i) + (i == 0 ? Rare : "") + Common;
            var bundle = new Bundle($"n{i}", FixtureBundle.CapturedAt, null, [new CapturedOutput(BundleFiles.KernelLog, CaptureStatus.Captured, log, "")]);
            return analyzer.Analyze(bundle);
        }).ToList();
        var ranked = FleetConsensus.Apply(nodes, Levain.Health.Profiles.HealthProfile.Default);
        var evidence = ranked[0].Results.Single(r => r.CheckId == CheckIds.KernelBaseline).Evidence;
        Assert.Equal(2, evidence.Count);
        Assert.Contains("nvAssertOkFailedNoLog", evidence[0], StringComparison.Ordinal); // rarest first, though logged first anyway
        Assert.EndsWith("[on 1 of 4 nodes]", evidence[0], StringComparison.Ordinal);
        Assert.EndsWith("[on 4 of 4 nodes]", evidence[1], StringComparison.Ordinal);
    }
}
