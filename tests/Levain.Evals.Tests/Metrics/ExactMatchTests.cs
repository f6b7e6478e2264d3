using Levain.Evals.Metrics;

namespace Levain.Evals.Tests.Metrics;

public sealed class ExactMatchTests
{
    [Theory]
    [InlineData("  Café  au\n lait. ", "café au lait")]
    [InlineData("\"42\"", "42")]
    public void Normalize_DocumentedSteps_Apply(string text, string expected) => Assert.Equal(expected, ExactMatch.Normalize(text));

    [Fact]
    public void Score_AnyAcceptableAnswer_Counts()
    {
        Assert.Equal(1, ExactMatch.Score(" Seven.", ["7", "seven"]));
        Assert.Equal(0, ExactMatch.Score("seven hundred", ["7", "seven"]));
    }
}
