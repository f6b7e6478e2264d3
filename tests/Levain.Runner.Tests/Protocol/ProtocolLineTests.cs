using Levain.Runner.Protocol;

namespace Levain.Runner.Tests.Protocol;

public sealed class ProtocolLineTests
{
    [Fact]
    public void TryResult_ResultLine_ReturnsObject()
    {
        Assert.Equal("{\"loss\": 2.5}", ProtocolLine.TryResult("levain-result {\"loss\": 2.5}\r"));
    }

    [Theory]
    [InlineData("loss 2.5")]
    [InlineData("levain-result [1, 2]")]
    [InlineData("levain-result {broken")]
    [InlineData("  levain-result {\"loss\": 1}")]
    public void TryResult_NotAResultObject_ReturnsNull(string line) => Assert.Null(ProtocolLine.TryResult(line));

    [Fact]
    public void TryProgress_ProgressLine_ReturnsObject()
    {
        Assert.Equal("{\"step\": 3}", ProtocolLine.TryProgress("levain-progress {\"step\": 3}"));
        Assert.Null(ProtocolLine.TryProgress("levain-result {\"step\": 3}"));
    }

    [Fact]
    public void Normalize_PythonNonFiniteNumbers_BecomeValidJson()
    {
        var json = ProtocolLine.Normalize("{\"loss\": NaN, \"a\": [Infinity, -Infinity], \"name\": \"NaN\"}");
        Assert.True(ProtocolLine.IsObject(json));
        Assert.Contains("\"loss\": \"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"NaN\"", json, StringComparison.Ordinal);
    }
}
