using Levain.Evals.Metrics;

namespace Levain.Evals.Tests.Metrics;

/// <summary>Hand-worked cases of lm-eval's exact_match (Hugging Face evaluate) options and its filters.</summary>
public sealed class ExactMatchOptionsTests
{
    // gsm8k.yaml's metric options.
    private static readonly ExactMatchOptions Gsm8k = new(IgnoreCase: true, IgnorePunctuation: false, RegexesToIgnore: [",", "\\$", "(?s).*#### ", "\\.$"]);

    [Theory]
    [InlineData("The answer is 1,234.", "1234", 0)]               // plain: "the answer is 1234" != "1234"
    [InlineData("Natalia sold 48 clips.\n#### 72", "72", 1)]     // "(?s).*#### " strips the reasoning
    [InlineData("$1,000.", "1000", 1)]
    public void Score_Gsm8kOptions_MatchLmEval(string answer, string gold, double expected) =>
        Assert.Equal(expected, ExactMatch.Score(answer, [gold], Gsm8k));

    [Fact]
    public void Score_LmEvalDefault_IsPlainEquality()
    {
        Assert.Equal(0, ExactMatch.Score("Paris ", ["Paris"], ExactMatchOptions.Exact));
        Assert.Equal(1, ExactMatch.Score("Paris", ["Paris"], ExactMatchOptions.Exact));
        Assert.Equal(1, ExactMatch.Score("Paris ", ["paris"], ExactMatchOptions.Levain));
        Assert.Equal(1, ExactMatch.Score("P.a.r.i.s", ["paris"], new ExactMatchOptions(IgnoreCase: true, IgnorePunctuation: true)));
        Assert.Equal(1, ExactMatch.Score("room 101", ["room "], new ExactMatchOptions(IgnoreNumbers: true)));
    }

    [Theory]
    [InlineData("#### (\\-?[0-9\\.\\,]+)", 0, "So she sold 48/2 = 24 clips.\n#### 72", "72")]                 // gsm8k strict-match
    [InlineData("(-?[$0-9.,]{2,})|(-?[0-9]+)", -1, "She sold 48 clips and then 24, so 72 in all", "72")]      // flexible-extract
    [InlineData("(-?[$0-9.,]{2,})|(-?[0-9]+)", 0, "She sold 48 clips and then 24, so 72 in all", "48")]
    [InlineData("#### (\\-?[0-9\\.\\,]+)", 0, "no marker here", "[invalid]")]
    public void Regex_FollowsLmEvalRegexFilter(string pattern, int groupSelect, string text, string expected) =>
        Assert.Equal(expected, new AnswerFilter("regex", pattern, groupSelect).Apply(text));

    [Theory]
    [InlineData("first_choice_letter", "I think the answer is (C) because", "C")]
    [InlineData("first_choice_letter", "Answer: B", "B")]
    [InlineData("first_choice_letter", "no letter here", "[invalid]")]
    [InlineData("last_number", "48 + 24 = $1,072.50 total", "1072.50")]
    [InlineData("last_number", "It is -3.", "-3")]
    public void LevainExtractors_PickTheDocumentedAnswer(string function, string text, string expected) =>
        Assert.Equal(expected, new AnswerFilter(function).Apply(text));
}
