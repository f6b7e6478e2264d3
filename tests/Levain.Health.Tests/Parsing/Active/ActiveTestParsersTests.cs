using Levain.Health.Parsing.Active;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Active;

public sealed class ActiveTestParsersTests
{
    [Fact]
    public void ParseGpuBurn_Ok_LastThroughputAndNoErrors()
    {
        var gpus = ActiveTestParsers.ParseGpuBurn(Fixture.Text("active/gpu-burn-ok.txt")).Value!.Gpus;
        Assert.Equal(2, gpus.Count);
        Assert.All(gpus, g => Assert.True(g.IsOk));
        Assert.Equal([47692.0, 47410.0], gpus.Select(g => g.Gflops!.Value));
        Assert.All(gpus, g => Assert.Equal(0, g.Errors));
    }

    [Fact]
    public void ParseGpuBurn_Faulty_VerdictAndErrors()
    {
        var g1 = ActiveTestParsers.ParseGpuBurn(Fixture.Text("active/gpu-burn-faulty.txt")).Value!.Gpus[1];
        Assert.False(g1.IsOk);
        Assert.Equal(2113, g1.Errors);
    }

    [Fact]
    public void ParseGpuBurn_Incomplete_Failure() =>
        Assert.False(ActiveTestParsers.ParseGpuBurn(Fixture.Text("active/gpu-burn-incomplete.txt")).IsSuccess);

    [Fact]
    public void ParseNcclTests_Ok_AverageAndLargestSize()
    {
        var r = ActiveTestParsers.ParseNcclTests(Fixture.Text("active/nccl-ok.txt")).Value!;
        Assert.Equal(161.2171, r.AverageBusBandwidthGBps, 4);
        Assert.Equal(8589934592L, r.LargestSizeBytes);
        Assert.Equal(482.95, r.LargestSizeBusBandwidthGBps!.Value, 2);
        Assert.Equal(0, r.WrongResults);
        Assert.True(r.OutOfBoundsOk);
    }

    [Fact]
    public void ParseNcclTests_WrongResults_Summed()
    {
        Assert.Equal(32, ActiveTestParsers.ParseNcclTests(Fixture.Text("active/nccl-wrong.txt")).Value!.WrongResults);
        Assert.False(ActiveTestParsers.ParseNcclTests("# nThread 1 nGpus 8\n#  Rank  0 Group  0\n").IsSuccess);
    }

    [Fact]
    public void ParseIbWriteBw_MegabytesAndGigabits_ReturnedInGbps()
    {
        var ok = IbWriteBwParser.Parse(Fixture.Text("active/ib-write-bw-ok.txt")).Value!;
        Assert.Equal(("mlx5_0", 65536L), (ok.Device, ok.MessageBytes));
        Assert.Equal(46229.85 * 1048576 * 8 / 1e9, ok.AverageGbps, 1e-9); // perftest's MB is 2^20 bytes: ~387.8 Gb/s
        Assert.Equal(180.97, IbWriteBwParser.Parse(Fixture.Text("active/ib-write-bw-slow.txt")).Value!.AverageGbps, 1e-9);
        Assert.False(IbWriteBwParser.Parse(Fixture.Text("active/ib-write-bw-incomplete.txt")).IsSuccess);
    }
}
