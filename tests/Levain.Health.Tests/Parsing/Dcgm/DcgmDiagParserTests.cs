using Levain.Health.Bundles;
using Levain.Health.Checks;
using Levain.Health.Checks.Gpu;
using Levain.Health.Collection;
using Levain.Health.Parsing.Dcgm;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Dcgm;

public sealed class DcgmDiagParserTests
{
    private static IReadOnlyList<CheckResult> Judge(CapturedOutput? output, int level = 2)
    {
        var bundle = new Bundle("n1", FixtureBundle.CapturedAt, null, output is null ? [] : [output]);
        return new DcgmDiagCheck().Evaluate(new CheckContext(bundle, new HealthProfile { DcgmDiagLevel = level }, null, FixtureBundle.CapturedAt));
    }

    private static CapturedOutput Captured(string fixture, CaptureStatus status = CaptureStatus.Captured) =>
        new(BundleFiles.DcgmDiag, status, Fixture.Text(fixture), status == CaptureStatus.Failed ? "exit 226" : "");

    [Fact]
    public void Parse_Level1Pass_DeploymentTests()
    {
        var tests = DcgmDiagParser.Parse(Fixture.Text("dcgm/diag-r1-pass.txt")).Value!;
        Assert.Equal(9, tests.Count);
        Assert.All(tests, t => Assert.Equal(("Deployment", "Pass"), (t.Section, t.Result)));
        Assert.Equal("Page Retirement/Row Remap", tests[6].Name);
    }

    [Fact]
    public void Parse_Level2Fail_SectionsScopesAndWrappedWarnings()
    {
        var tests = DcgmDiagParser.Parse(Fixture.Text("dcgm/diag-r2-fail.txt")).Value!;
        Assert.Equal(["Deployment", "Integration", "Hardware", "Stress"], tests.Select(t => t.Section).Distinct());
        var pcie = Assert.Single(tests, t => t.Name == "PCIe");
        Assert.Equal(("Integration", "Fail", "GPU: 2"), (pcie.Section, pcie.Result, pcie.Scope));
        Assert.Equal(2, pcie.Details.Count);
        Assert.Equal("Warning: GPU 2 NvLink link 5 is currently down Run a fi eld diagnostic on the GPU.", pcie.Details[0]); // the cut word stays cut
        Assert.EndsWith("check the rise r.", pcie.Details[1], StringComparison.Ordinal);
        Assert.Equal("Skip", Assert.Single(tests, t => t.Name == "Graphics Processes").Result);
        var bw = Assert.Single(tests, t => t.Name == "Memory Bandwidth");
        Assert.True(bw.IsWarning);
        Assert.Equal("Info: GPU 2 reached 1502.3 GB/s, below the expected 1600.0 GB/s.", Assert.Single(bw.Details));
    }

    [Theory]
    [InlineData("dcgm/diag-no-hostengine.txt")]
    [InlineData("nvlink/garbage.txt")]
    public void Parse_NoTable_Failure(string fixture) => Assert.False(DcgmDiagParser.Parse(Fixture.Text(fixture)).IsSuccess);

    [Fact]
    public void Evaluate_FailedRunExitNonZero_CriticalPerFailedTestWarningPerWarn()
    {
        var results = Judge(Captured("dcgm/diag-r2-fail.txt", CaptureStatus.Failed));
        var fail = Assert.Single(results, r => r.Severity == Severity.Critical);
        Assert.Equal(("PCIe (GPU: 2)", Remediation.Drain), (fail.Subject, fail.Remediation));
        Assert.Contains(fail.Evidence, e => e.Contains("NvLink link 5 is currently down", StringComparison.Ordinal));
        Assert.Equal("Memory Bandwidth (GPU: 2)", Assert.Single(results, r => r.Severity == Severity.Warning).Subject);
    }

    [Fact]
    public void Evaluate_Pass_OkCountsSkipped()
    {
        var ok = Assert.Single(Judge(Captured("dcgm/diag-r2-pass.txt")));
        Assert.Equal(Severity.Ok, ok.Severity);
        Assert.Equal("DCGM diagnostic: 12 tests passed", ok.Message);
    }

    [Fact]
    public void Evaluate_HostEngineDown_UnknownHungCriticalAbsentOnlyWhenAsked()
    {
        Assert.Equal(Severity.Unknown, Assert.Single(Judge(Captured("dcgm/diag-no-hostengine.txt", CaptureStatus.Failed))).Severity);
        var hung = new CapturedOutput(BundleFiles.DcgmDiag, CaptureStatus.TimedOut, "Successfully ran diagnostic for group.\n", "after 60 s");
        Assert.Equal(Severity.Critical, Assert.Single(Judge(hung)).Severity);
        Assert.Equal(Severity.Unknown, Assert.Single(Judge(null)).Severity); // the profile asked for it
        Assert.Empty(Judge(null, level: 0));                                  // not asked for, not there: nothing to say
    }

    [Fact]
    public void Plan_DcgmLevel_CommandAnyExitCodeIsAnAnswer()
    {
        Assert.DoesNotContain(CollectionPlan.For(new HealthProfile(), TimeSpan.FromSeconds(10)).Commands, c => c.File == BundleFiles.DcgmDiag);
        var spec = Assert.Single(CollectionPlan.For(new HealthProfile { DcgmDiagLevel = 2 }, TimeSpan.FromSeconds(10)).Commands, c => c.File == BundleFiles.DcgmDiag);
        Assert.Equal("dcgmi diag -r 2", spec.Command);
        Assert.Equal(TimeSpan.FromSeconds(100), spec.Timeout);
        Assert.Contains(226, spec.AnswerExitCodes);
    }
}
