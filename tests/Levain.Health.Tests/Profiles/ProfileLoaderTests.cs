using Levain.Core;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Profiles;

public sealed class ProfileLoaderTests
{
    [Fact]
    public void Load_FixtureProfile_EveryKeyRead()
    {
        var p = ProfileLoader.Load(Fixture.Path("profiles/h100-hgx.yaml"));
        Assert.Equal("h100-hgx", p.Name);
        Assert.Equal(4, p.GpuCount);
        Assert.True(p.ExpectFabric);
        Assert.Equal("550.54.15", p.DriverVersion);
        Assert.Equal((18, 26.562), (p.NvlinkLinksPerGpu, p.NvlinkSpeedGBps));
        Assert.Equal((2, 400.0), (p.IbPorts, p.IbRateGbps));
        Assert.Equal(["/", "/raid"], p.DiskMounts);
        Assert.Equal(["nvidia-fabricmanager", "nvidia-persistenced", "containerd"], p.Services);
        Assert.Equal([12028], p.SxidAllowList);
        Assert.Equal(TimeSpan.FromHours(24), p.EventWindow);
        Assert.Equal((40000.0, 100.0), (p.GpuBurnMinGflops, p.NcclMinBusBandwidthGBps));
        Assert.Equal(new Levain.Health.Xid.XidRule(Severity.Critical, Remediation.ResetGpu, "page faults are never expected from our jobs"), p.Xid.RuleFor(31));
        Assert.Equal(Severity.Warning, p.Xid.RuleFor(13).Severity); // untouched defaults stay
        Assert.Equal(Severity.Warning, p.Xid.RuleFor(12345).Severity); // codes the catalog does not list warn
    }

    [Fact]
    public void Parse_NewKeys_ReadAndRangeChecked()
    {
        var p = ProfileLoader.Parse("io_error_threshold: 4\ndcgm_diag_level: 1\n", "p.yaml");
        Assert.Equal((4, 1), (p.IoErrorThreshold, p.DcgmDiagLevel));
        var e = Assert.Throws<InputException>(() => ProfileLoader.Parse("name: x\ndcgm_diag_level: 3\n", "p.yaml"));
        Assert.Equal(("p.yaml", 2, "dcgm_diag_level"), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void Parse_Empty_DefaultProfile() => Assert.Equal(HealthProfile.Default, ProfileLoader.Parse("", "empty.yaml"));

    [Theory]
    [InlineData("profiles/bad-type.yaml", 2, "gpu_count", "integer")]
    [InlineData("profiles/bad-key.yaml", 2, "nvlink_link_per_gpu", "unknown key")]
    [InlineData("profiles/bad-xid.yaml", 4, "xid", "severity")]
    [InlineData("profiles/bad-yaml.yaml", 2, "yaml", "")] // the unclosed flow sequence is noticed at the end of the file
    public void Load_BadProfile_OneErrorNamingFileLineAndField(string fixture, int line, string field, string problem)
    {
        var path = Fixture.Path(fixture);
        var e = Assert.Throws<InputException>(() => ProfileLoader.Load(path));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}: {field}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WarnAboveCritical_RejectedAtTheWarnKeysLine()
    {
        var e = Assert.Throws<InputException>(() => ProfileLoader.Parse("name: dgx\ndisk_warn_percent: 97\n", "p.yaml"));
        Assert.Equal(("p.yaml", 2, "disk_warn_percent"), (e.File, e.Line, e.Field));
        Assert.Contains("(97) must not exceed disk_critical_percent (95)", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CriticalBelowTheDefaultWarn_RejectedAtTheCriticalKeysLine()
    {
        var e = Assert.Throws<InputException>(() => ProfileLoader.Parse("name: dgx\n\ndisk_critical_percent: 80\n", "p.yaml"));
        Assert.Equal((3, "disk_critical_percent"), (e.Line, e.Field));
    }

    [Theory]
    [InlineData("disk_warn_percent: 0\n", "disk_warn_percent")]
    [InlineData("disk_critical_percent: 101\n", "disk_critical_percent")]
    public void Parse_DiskPercentOutsideOneToHundred_Rejected(string yaml, string field)
    {
        var e = Assert.Throws<InputException>(() => ProfileLoader.Parse(yaml, "p.yaml"));
        Assert.Equal((1, field), (e.Line, e.Field));
        Assert.Contains("must be between 1 and 100", e.Problem, StringComparison.Ordinal);
    }
}
