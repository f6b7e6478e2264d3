using Levain.Evals.Metrics;
using Levain.Evals.Scoring;

namespace Levain.Evals.Tests.Metrics;

public sealed class PerplexityMetricsTests
{
    // Two texts: LL −4 over 2 words and 8 bytes; LL −6 over 3 words and 12 bytes.
    private static readonly RollingResult[] Texts = [new(-4, 5, 2, 8), new(-6, 7, 3, 12)];

    [Theory]
    [InlineData("perplexity", 148.4131591025766)]          // exp(−mean(−4, −6)) = e⁵
    [InlineData("word_perplexity", 7.38905609893065)]      // exp(10 / 5) = e²
    [InlineData("byte_perplexity", 1.6487212707001282)]    // exp(10 / 20) = e^0.5
    [InlineData("bits_per_byte", 0.7213475204444817)]      // 10 / 20 / ln 2
    public void Compute_HandComputedTexts_MatchesDefinition(string metric, double expected) =>
        Assert.Equal(expected, PerplexityMetrics.Compute(metric, Texts), 1e-9);

    [Fact]
    public void CountWords_SplitsOnAnyWhitespace() => Assert.Equal(3, PerplexityMetrics.CountWords("  un\tdeux\ntrois "));
}
