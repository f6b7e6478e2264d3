using Levain.Evals.Metrics;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;

namespace Levain.Evals.Tests.Metrics;

public sealed class PerplexityMetricsTests
{
    // Two texts: LL −4 over 5 tokens, 2 words and 8 bytes; LL −6 over 7 tokens, 3 words and 12 bytes.
    private static readonly RollingResult[] Texts = [new(-4, 5, 2, 8), new(-6, 7, 3, 12)];

    [Theory]
    [InlineData("perplexity", 2.3009758908928246)]         // exp(10 / 12) per token
    [InlineData("word_perplexity", 7.38905609893065)]      // lm-eval weighted_perplexity: exp(10 / 5) = e²
    [InlineData("byte_perplexity", 1.6487212707001282)]    // exp(10 / 20) = e^0.5
    [InlineData("bits_per_byte", 0.7213475204444817)]      // lm-eval bits_per_byte: 10 / 20 / ln 2
    public void Compute_HandComputedTexts_MatchesLmEvalFormulas(string metric, double expected) =>
        Assert.Equal(expected, PerplexityMetrics.Compute(metric, Texts), 1e-9);

    [Theory]
    [InlineData("  un\tdeux\ntrois ", 5)]   // re.split(r"\s+", "  un\tdeux\ntrois ") == ['', 'un', 'deux', 'trois', '']
    [InlineData("one two", 2)]
    [InlineData("", 1)]                     // re.split(r"\s+", "") == ['']
    [InlineData("a \u00a0\u2003 b", 2)]    // one run of Unicode white space
    [InlineData("a\u001fb", 2)]             // Python's str whitespace includes U+001F
    public void CountWords_MatchesPythonRegexSplit(string text, int expected) => Assert.Equal(expected, PerplexityMetrics.CountWords(text));

    [Fact]
    public void Compute_RealDocumentLengths_StaysFiniteAndJsonHasNoInfinity()
    {
        // A 3 000-token document at 4 nats per token: the per-document form exp(12 000) overflows; per token it is e⁴.
        var perplexity = PerplexityMetrics.Compute("perplexity", [new RollingResult(-12_000, 3000, 2000, 15_000)]);
        Assert.Equal(Math.Exp(4), perplexity, 1e-9);
        var json = ReportJson.Serialize(new Dictionary<string, double> { ["huge"] = double.PositiveInfinity, ["nan"] = double.NaN, ["ok"] = 1.5 });
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.Contains("\"huge\": null", json, StringComparison.Ordinal);
    }
}
