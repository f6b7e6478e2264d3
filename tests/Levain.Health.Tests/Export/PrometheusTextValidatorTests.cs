namespace Levain.Health.Tests.Export;

/// <summary>The validator itself must reject what the format forbids, or the exporter tests prove nothing.</summary>
public sealed class PrometheusTextValidatorTests
{
    [Theory]
    [InlineData("# TYPE a gauge\na 1\n")]
    [InlineData("# HELP a help text\n# TYPE a counter\na{x=\"1\",y=\"q\\\"\\\\\\n\"} 3 1700000000000\n")]
    [InlineData("# TYPE a gauge\na +Inf\na{l=\"v\"} NaN\n")]
    public void Validate_ValidText_NoProblems(string text) => Assert.Empty(PrometheusTextValidator.Validate(text));

    [Theory]
    [InlineData("# TYPE a gauge\na 1", "newline")]
    [InlineData("# TYPE a gauge\na one\n", "bad value")]
    [InlineData("# TYPE 1a gauge\n", "bad metric name")]
    [InlineData("# TYPE a gauge\na{1x=\"v\"} 1\n", "bad label name")]
    [InlineData("# TYPE a gauge\na{x=v} 1\n", "not quoted")]
    [InlineData("# TYPE a gauge\na{x=\"\\t\"} 1\n", "bad escape")]
    [InlineData("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", "duplicate series")]
    [InlineData("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"2\"} 1\n", "not contiguous")]
    [InlineData("# TYPE a counter\na -1\n", "negative counter")]
    [InlineData("a 1\n# TYPE a gauge\n", "TYPE after samples")]
    [InlineData("# TYPE a gauge\n# TYPE a counter\n", "second TYPE")]
    [InlineData("# TYPE a gauge\na{x=\"1\" 1\n", "expected ','")]
    public void Validate_InvalidText_ReportsProblem(string text, string problem) =>
        Assert.Contains(PrometheusTextValidator.Validate(text), p => p.Contains(problem, StringComparison.Ordinal));
}
