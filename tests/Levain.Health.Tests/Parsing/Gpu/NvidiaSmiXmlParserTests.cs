using Levain.Health.Parsing.Gpu;
using Levain.Health.Tests.Support;

namespace Levain.Health.Tests.Parsing.Gpu;

public sealed class NvidiaSmiXmlParserTests
{
    [Fact]
    public void Parse_HealthyH100_ReadsEveryField()
    {
        var parsed = NvidiaSmiXmlParser.Parse(Fixture.Text("nvidia-smi/h100-healthy.xml"));
        Assert.True(parsed.IsSuccess, parsed.Error);
        var report = parsed.Value!;
        Assert.Equal("550.54.15", report.DriverVersion);
        Assert.Equal("12.4", report.CudaVersion);
        Assert.Equal(4, report.AttachedGpus);
        Assert.Equal(4, report.Gpus.Count);
        var g = report.Gpus[2];
        Assert.Equal(2, g.Index);
        Assert.Equal("00000000:3A:00.0", g.BusId);
        Assert.Equal("NVIDIA H100 80GB HBM3", g.ProductName);
        Assert.Equal("96.00.89.00.01", g.VbiosVersion);
        Assert.Equal("G520.0200.00.05", g.InforomImage);
        Assert.Equal("Enabled", g.EccModeCurrent);
        Assert.Equal(0, g.VolatileUncorrectable);
        Assert.Equal(0, g.VolatileCorrectable);
        Assert.Null(g.RetiredPagesDoubleBit); // "N/A" on Hopper
        Assert.Null(g.RetiredPagesPending);
        Assert.False(g.RemappedRowsPending);
        Assert.False(g.RemappedRowsFailure);
        Assert.True(g.HasClockEventReasons);
        Assert.Empty(g.ActiveClockEventReasons);
        Assert.Equal((5, 5, 16, 16), (g.PcieGenCurrent, g.PcieGenMax, g.PcieWidthCurrent, g.PcieWidthMax));
        Assert.Equal(34, g.TemperatureC);
        Assert.Equal(89, g.SlowdownTemperatureC);
        Assert.Equal(92, g.ShutdownTemperatureC);
        Assert.Equal(71.52, g.PowerDrawW);
        Assert.Equal(700, g.PowerLimitW);
        Assert.Equal("Completed", g.FabricState);
        Assert.Equal("Success", g.FabricStatus);
    }

    [Fact]
    public void Parse_OlderThrottleReasonsAndPowerReadings_ReadLikeNewNames()
    {
        var parsed = NvidiaSmiXmlParser.Parse(Fixture.Text("nvidia-smi/v100-hw-slowdown.xml"));
        Assert.True(parsed.IsSuccess, parsed.Error);
        var (g0, g1) = (parsed.Value!.Gpus[0], parsed.Value.Gpus[1]);
        Assert.True(g1.HasClockEventReasons);
        Assert.Equal(["gpu_idle", "hw_slowdown"], g1.ActiveClockEventReasons);
        Assert.Equal(["gpu_idle"], g0.ActiveClockEventReasons);
        Assert.Equal(42.71, g1.PowerDrawW);
        Assert.Equal(300, g1.PowerLimitW);
        Assert.Equal(0, g1.VolatileUncorrectable); // from <double_bit><total>
        Assert.Equal(0, g1.RetiredPagesDoubleBit);
        Assert.False(g1.RetiredPagesPending); // <pending_blacklist>
        Assert.Null(g1.RemappedRowsPending); // not reported before Ampere
        Assert.Null(g1.FabricState);
    }

    [Fact]
    public void Parse_RetiredPagesPending_ReadsPendingAndCounts()
    {
        var g = NvidiaSmiXmlParser.Parse(Fixture.Text("nvidia-smi/v100-retired-pending.xml")).Value!.Gpus[1];
        Assert.True(g.RetiredPagesPending);
        Assert.Equal(1, g.RetiredPagesDoubleBit);
        Assert.Equal(1, g.VolatileUncorrectable);
    }

    [Fact]
    public void Parse_NotAvailableValues_AreNullNotZero()
    {
        var g = NvidiaSmiXmlParser.Parse(Fixture.Text("nvidia-smi/h100-na-values.xml")).Value!.Gpus[0];
        Assert.Null(g.EccModeCurrent);
        Assert.Null(g.VolatileUncorrectable);
        Assert.Null(g.VolatileCorrectable);
        Assert.Null(g.RemappedRowsPending);
        Assert.Null(g.TemperatureC);
        Assert.Null(g.PowerDrawW);
        Assert.Null(g.PcieWidthCurrent);
        Assert.Null(g.FabricState);
        Assert.Equal(16, g.PcieWidthMax);
    }

    [Fact]
    public void Parse_EccCounters_SumSramAndDram()
    {
        var g = NvidiaSmiXmlParser.Parse(Fixture.Text("nvidia-smi/h100-ecc-uncorrectable.xml")).Value!.Gpus[2];
        Assert.Equal(3, g.VolatileUncorrectable);
        Assert.Equal(17, g.VolatileCorrectable);
    }

    [Theory]
    [InlineData("nvidia-smi/garbage.txt")]
    [InlineData("nvidia-smi/truncated.xml")]
    [InlineData("nvidia-smi/driver-gone.txt")]
    public void Parse_NotNvidiaSmiXml_Failure(string fixture)
    {
        var parsed = NvidiaSmiXmlParser.Parse(Fixture.Text(fixture));
        Assert.False(parsed.IsSuccess);
        Assert.NotNull(parsed.Error);
    }

    [Fact]
    public void Parse_OtherXmlRoot_Failure() =>
        Assert.False(NvidiaSmiXmlParser.Parse("<?xml version=\"1.0\"?><html><body/></html>").IsSuccess);
}
