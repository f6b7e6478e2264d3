using Levain.Evals.Metrics;
using Levain.Evals.Scoring;

using CsCheck;

namespace Levain.Evals.Tests.Metrics;

public sealed class ChoiceMetricsTests
{
    private const double Tolerance = 1e-9;

    // Hand-computed fixture. Choice 0 "é": 1 character, 2 UTF-8 bytes, LL −2, 1 token, unconditional LL −0.5.
    // Choice 1 "ab": 2 characters, 2 bytes, LL −3, 3 tokens, unconditional LL −2. Gold = 1.
    //   acc:        argmax(−2, −3) = 0                    → 0
    //   acc_norm:   argmax(−2/1, −3/2 = −1.5) = 1         → 1   (characters)
    //   acc_bytes:  argmax(−2/2 = −1, −3/2 = −1.5) = 0    → 0   (bytes: é is two bytes)
    //   acc_tokens: argmax(−2/1, −3/3 = −1) = 1           → 1
    //   acc_pmi:    argmax(−2+0.5, −3+2) = argmax(−1.5, −1) = 1 → 1
    //   softmax(−2, −3) = (1/(1+e⁻¹), e⁻¹/(1+e⁻¹)) = (0.7310585786300049, 0.2689414213699951)
    //   p_correct = 0.2689414213699951; nll_correct = 3; nll_correct_per_byte = 3/2
    //   brier = 0.7310585786² + (0.2689414214 − 1)² = 2 · 0.5344466460 = 1.0688932920
    private static readonly ChoiceResult[] Fixture =
    [
        new("é", -2, 1, 2, 1, false, -0.5),
        new("ab", -3, 3, 2, 2, false, -2),
    ];

    [Fact]
    public void Compute_NonAsciiFixture_MatchesHandComputedValues()
    {
        var outcome = ChoiceMetrics.Compute(Fixture, [1]);

        Assert.Equal(0, outcome.Scores["acc"]);
        Assert.Equal(1, outcome.Scores["acc_norm"]);
        Assert.Equal(0, outcome.Scores["acc_bytes"]);
        Assert.Equal(1, outcome.Scores["acc_tokens"]);
        Assert.Equal(1, outcome.Scores["acc_pmi"]);
        Assert.Equal(0.2689414213699951, outcome.Scores["p_correct"], Tolerance);
        Assert.Equal(3.0, outcome.Scores["nll_correct"], Tolerance);
        Assert.Equal(1.5, outcome.Scores["nll_correct_per_byte"], Tolerance);
        Assert.Equal(2 * Math.Pow(0.7310585786300049, 2), outcome.Scores["brier"], Tolerance);
        Assert.Equal(0, outcome.PredictedPosition);
        Assert.Equal(0.7310585786300049, outcome.Confidence, Tolerance);
    }

    [Fact]
    public void Compute_SeveralGoldChoices_SumsProbabilityAndLogSumExpsLikelihood()
    {
        ChoiceResult[] choices = [new("a", -1, 1, 1, 1, false), new("b", -2, 1, 1, 1, false), new("c", -3, 1, 1, 1, false)];
        var outcome = ChoiceMetrics.Compute(choices, [1, 2]);

        var z = Math.Exp(-1) + Math.Exp(-2) + Math.Exp(-3);
        Assert.Equal((Math.Exp(-2) + Math.Exp(-3)) / z, outcome.Scores["p_correct"], Tolerance);
        Assert.Equal(-Math.Log(Math.Exp(-2) + Math.Exp(-3)), outcome.Scores["nll_correct"], Tolerance);
        var p = new[] { Math.Exp(-1) / z, Math.Exp(-2) / z, Math.Exp(-3) / z };
        Assert.Equal(Math.Pow(p[0], 2) + Math.Pow(p[1] - 0.5, 2) + Math.Pow(p[2] - 0.5, 2), outcome.Scores["brier"], Tolerance);
        Assert.Equal(0, outcome.Scores["acc"]);
    }

    [Fact]
    public void Compute_WithoutUnconditionalScores_OmitsAccPmi()
    {
        ChoiceResult[] choices = [new("a", -1, 1, 1, 1, false), new("b", -2, 1, 1, 1, false)];
        Assert.False(ChoiceMetrics.Compute(choices, [0]).Scores.ContainsKey("acc_pmi"));
    }

    [Fact]
    public void ArgMax_Ties_PickTheFirst() => Assert.Equal(1, ChoiceMetrics.ArgMax([-3.0, -1.0, -1.0]));

    [Fact]
    public void Softmax_Meets_Specification() =>
        Gen.Double[-50, 0].Array[2, 8].Sample(values =>
        {
            var p = ChoiceMetrics.Softmax(values);
            Assert.Equal(1.0, p.Sum(), 1e-9);
            Assert.All(p, pi => Assert.InRange(pi, 0, 1));
            Assert.Equal(p.Max(), p[ChoiceMetrics.ArgMax(values)]);
        });
}
