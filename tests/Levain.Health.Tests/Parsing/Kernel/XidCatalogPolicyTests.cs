using Levain.Health.Analysis;
using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Results;
using Levain.Health.Tests.Support;
using Levain.Health.Xid;

namespace Levain.Health.Tests.Parsing.Kernel;

public sealed class XidCatalogPolicyTests
{
    [Theory]
    [InlineData(8, Severity.Warning)]    // RESTART_APP: an application timeout, not a bad GPU
    [InlineData(11, Severity.Warning)]
    [InlineData(68, Severity.Warning)]
    [InlineData(13, Severity.Warning)]
    [InlineData(43, Severity.Ok)]        // IGNORE
    [InlineData(63, Severity.Ok)]        // row remapping event: the remapper did its job
    [InlineData(92, Severity.Ok)]
    [InlineData(48, Severity.Critical)]
    [InlineData(79, Severity.Critical)]
    [InlineData(109, Severity.Critical)] // RESET_GPU
    [InlineData(144, Severity.Critical)] // NVLink5 workflow
    [InlineData(150, Severity.Critical)]
    [InlineData(154, Severity.Warning)]  // judged by the action in the line itself
    [InlineData(999, Severity.Warning)]  // not in the catalog: warn, never critical on its own
    public void Default_SeverityFollowsCatalogBucket(int code, Severity expected) => Assert.Equal(expected, XidPolicy.Default.RuleFor(code).Severity);

    [Fact]
    public void Default_NamesCatalogVersion_74IsNoCableReseat() 
    {
        Assert.Contains("Xid Catalog", XidCatalog.Version, StringComparison.Ordinal);
        Assert.Equal(Remediation.ResetGpu, XidPolicy.Default.RuleFor(74).Remediation);
        Assert.Equal(Remediation.Reboot, XidPolicy.Default.RuleFor(79).Remediation);
    }

    [Fact]
    public void Analyze_LogOfHundredsOfLines_CatalogVerdictsAndXid154Action()
    {
        using var temp = new TempDirectory();
        var bundle = FixtureBundle.Read(temp, new Dictionary<string, string?> { [BundleFiles.KernelLog] = "dmesg/xid-catalog-mix.txt" });
        var node = new NodeAnalyzer(FixtureBundle.Profile with { Xid = XidPolicy.Default }, null, TimeProvider.System).Analyze(bundle);
        var xids = node.Results.Where(r => r.CheckId == CheckIds.KernelXid).ToList();
        CheckResult Xid(int code) => Assert.Single(xids, r => r.Message.StartsWith($"XID {code} ", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, Xid(8).Severity);
        Assert.Equal(Severity.Warning, Xid(68).Severity);
        Assert.Equal(Severity.Ok, Xid(63).Severity);
        Assert.Contains("unknown XID 999, see NVIDIA's Xid catalog", Xid(999).Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Warning, Xid(999).Severity);
        var recovery = Xid(154);
        Assert.Equal((Severity.Critical, Remediation.ResetGpu, "gpu3 (00000000:5D:00.0)"), (recovery.Severity, recovery.Remediation, recovery.Subject));
        Assert.Equal(Severity.Critical, node.Status); // 120 (RESET_GPU) and the driver's own reset request
    }
}
