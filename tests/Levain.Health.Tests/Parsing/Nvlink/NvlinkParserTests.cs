using Levain.Health.Parsing.Nvlink;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Nvlink;

public sealed class NvlinkParserTests
{
    [Fact]
    public void ParseStatus_Healthy_EighteenActiveLinksPerGpu()
    {
        var links = NvlinkParser.ParseStatus(Fixture.Text("nvlink/status-healthy.txt")).Value!;
        Assert.Equal(4 * 18, links.Count);
        Assert.All(links, l => Assert.Equal(26.562, l.SpeedGBps));
        Assert.Equal(18, links.Count(l => l.Gpu == 3));
    }

    [Fact]
    public void ParseStatus_Inactive_NullSpeed()
    {
        var links = NvlinkParser.ParseStatus(Fixture.Text("nvlink/status-inactive.txt")).Value!;
        var inactive = links.Where(l => !l.IsActive).ToList();
        Assert.Equal([(1, 7), (1, 8)], inactive.Select(l => (l.Gpu, l.Link)));
        Assert.Equal("Link 7: <inactive>", inactive[0].Raw);
    }

    [Fact]
    public void ParseErrors_ReadsEveryCounter()
    {
        var counters = NvlinkParser.ParseErrors(Fixture.Text("nvlink/errors-high.txt")).Value!;
        Assert.Equal(4 * 18 * 3, counters.Count);
        var crc = Assert.Single(counters, c => c.Gpu == 2 && c.Link == 11 && c.Counter == "CRC Errors");
        Assert.Equal(4817, crc.Value);
        Assert.Equal(2, NvlinkParser.ParseErrors(Fixture.Text("nvlink/errors-healthy.txt")).Value!.Max(c => c.Value));
    }

    [Fact]
    public void Parse_Garbage_Failure()
    {
        Assert.False(NvlinkParser.ParseStatus(Fixture.Text("nvlink/garbage.txt")).IsSuccess);
        Assert.False(NvlinkParser.ParseErrors(Fixture.Text("nvlink/garbage.txt")).IsSuccess);
    }

    [Fact]
    public void ParseStatus_EmptyOutput_NoLinks() => Assert.Empty(NvlinkParser.ParseStatus("").Value!);
}
