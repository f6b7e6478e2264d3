using Levain.Health.Parsing.Kernel;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Kernel;

public sealed class KernelLogParserTests
{
    [Fact]
    public void Parse_IsoFormat_WallClockTimeAndMessage()
    {
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/healthy-iso.txt"));
        Assert.Equal(30, lines.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 8, 512, TimeSpan.Zero).AddTicks(3390), lines[22].Time);
        Assert.StartsWith("NVRM: loading NVIDIA UNIX", lines[22].Message, StringComparison.Ordinal);
        Assert.Equal(23, lines[22].LineNumber);
    }

    [Fact]
    public void Parse_MonotonicWithBootTime_PlacesLinesInTime()
    {
        var boot = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/healthy-monotonic.txt"), boot);
        var nvrm = Assert.Single(lines, l => l.Message.StartsWith("NVRM:", StringComparison.Ordinal));
        Assert.Equal(7.512339, nvrm.SecondsSinceBoot!.Value, 6);
        Assert.Equal(boot.AddSeconds(7.512339), nvrm.Time);
    }

    [Fact]
    public void Parse_MonotonicWithoutBootTime_NoWallClock()
    {
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/healthy-monotonic.txt"));
        Assert.All(lines, l => Assert.Null(l.Time));
        Assert.All(lines, l => Assert.NotNull(l.SecondsSinceBoot));
        Assert.True(KernelLogParser.LooksLikeKernelLog(lines));
    }

    [Fact]
    public void Parse_CtimeFormat_ReadsDate()
    {
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/xid-ctime.txt"));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 11, 40, 9, TimeSpan.Zero), lines[1].Time);
        Assert.StartsWith("NVRM: Xid", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JournalctlShortIso_StripsHostAndKernelPrefixAndSkipsSeparators()
    {
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/xid-journalctl.txt"));
        Assert.Equal(2, lines.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 11, 2, 41, TimeSpan.Zero), lines[1].Time);
        Assert.StartsWith("NVRM: Xid (PCI:0000:3a:00): 48", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorMessageInsteadOfLog_NotAKernelLog()
    {
        var lines = KernelLogParser.Parse(Fixture.Text("dmesg/garbage.txt"));
        Assert.False(KernelLogParser.LooksLikeKernelLog(lines));
    }
}
