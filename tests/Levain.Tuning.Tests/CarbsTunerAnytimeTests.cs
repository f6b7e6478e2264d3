using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>
/// The anytime checkpoints (<see cref="CarbsOptions.AnytimeCheckpointRatio"/>): a suggestion should finish by the next
/// checkpoint fraction η^−k of the budget, then by the one after it, and only then anywhere in the budget left.
/// </summary>
public sealed class CarbsTunerAnytimeTests
{
    // cost = 1 + (x + 2) ∈ [1, 5]; the optimum x = 0.6 costs 3.6.
    private static CarbsTuner Driven(CarbsOptions options, List<string>? logs = null)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), options);
        if (logs is not null)
        {
            tuner.Logged += (_, line) => logs.Add(line);
        }
        TunerFixtures.Drive(tuner, TunerFixtures.Quadratic, 20);
        return tuner;
    }

    [Theory]
    [InlineData(0.0, 2.0, 1.0 / 1024)]
    [InlineData(0.1, 2.0, 0.125)]
    [InlineData(0.25, 2.0, 0.5)]
    [InlineData(0.3, 2.0, 0.5)]
    [InlineData(0.5, 2.0, 1.0)]
    [InlineData(0.99, 2.0, 1.0)]
    [InlineData(0.05, 3.0, 1.0 / 9)]
    [InlineData(0.2, 4.0, 0.25)]
    public void AnytimeCheckpoint_IsTheSmallestPowerOfOneOverEtaAboveTheSpentFraction(double spent, double eta, double expected)
    {
        var checkpoint = CarbsTuner.AnytimeCheckpoint(spent, eta);
        if (spent == 0)
        {
            Assert.True(checkpoint > 0 && checkpoint <= 1e-12 * eta, $"checkpoint {checkpoint} at the start");
            return;
        }
        Assert.Equal(expected, checkpoint, 12);
    }

    [Fact]
    public void Suggest_WithCheckpoints_PrefersARunThatFinishesByTheNextCheckpoint()
    {
        // 45 % spent of a budget whose 55 % left is 30: the checkpoint at 50 % is 30 × 0.05 / 0.55 ≈ 2.73 away, below the
        // optimum's cost 3.6, which a tuner without checkpoints goes for.
        var budget = new SuggestionBudget(CostLeft: 30, SpentFraction: 0.45);
        var cap = 30 * 0.05 / 0.55;
        var plain = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = null }).Suggest(1, budget)[0];
        Assert.Equal(SuggestionPhase.Bayesian, plain.Phase);
        Assert.True(plain.Terms!.CostUpperQuantile > cap, $"without checkpoints: upper cost quantile {plain.Terms.CostUpperQuantile}");

        var anytime = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = 2 }).Suggest(1, budget)[0];
        Assert.Equal(SuggestionPhase.Bayesian, anytime.Phase);
        Assert.True(anytime.Terms!.CostUpperQuantile <= cap, $"with checkpoints: upper cost quantile {anytime.Terms.CostUpperQuantile} > {cap}");
        Assert.True(TunerFixtures.Quadratic(anytime.Parameters).Cost <= cap + 0.05);
    }

    [Fact]
    public void Suggest_WithCheckpoints_KeepsAPickThatFinishesByTheNextCheckpoint()
    {
        // The cap acts only when it binds: with the next checkpoint just above what the plain tuner picks, the suggestion
        // is the plain tuner's, bit for bit.
        var plainTuner = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = null });
        var probe = CarbsTuner.FromJson(plainTuner.ToJson()).Suggest(1, new SuggestionBudget(CostLeft: 1000, SpentFraction: 0.45))[0];
        var cap = probe.Terms!.CostUpperQuantile + 0.05;
        var budget = new SuggestionBudget(CostLeft: cap * 0.55 / 0.05, SpentFraction: 0.45);
        var plain = plainTuner.Suggest(1, budget)[0];
        var anytime = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = 2, AnytimeCrossingFraction = 0 }).Suggest(1, budget)[0];
        Assert.True(plain.Terms!.CostUpperQuantile <= cap);
        Assert.Equal(plain.Parameters.OrderBy(kv => kv.Key), anytime.Parameters.OrderBy(kv => kv.Key));
        Assert.Equal(plain.Terms, anytime.Terms);
    }

    [Fact]
    public void Suggest_WithCheckpoints_FallsBackToTheCheckpointAfterWhenNothingFitsBeforeTheNext()
    {
        // 49 % spent: 30 × 0.01 / 0.51 ≈ 0.59 to the 50 % checkpoint, less than the cheapest point (cost 1); the next
        // checkpoint (100 %) allows the whole budget left.
        var (suggestion, logs) = SuggestJustBeforeHalfTheBudget(crossing: 0);
        Assert.Equal(SuggestionPhase.Bayesian, suggestion.Phase);
        Assert.Contains(logs, l => l.Contains("anytime cap", StringComparison.Ordinal));
        Assert.True(suggestion.Terms!.CostUpperQuantile is > 30 * 0.01 / 0.51 and <= 30);
    }

    [Fact]
    public void Suggest_WithCrossingFraction_LetsASmallRunCrossTheCheckpoint()
    {
        // 49 % spent: only 0.59 to the 50 % checkpoint, but runs up to 0.1 × the checkpoint's budget (30 × 0.05 / 0.51 ≈ 2.94)
        // may cross it, so the tuner neither falls back to the whole budget left nor needs to.
        var (suggestion, logs) = SuggestJustBeforeHalfTheBudget(crossing: 0.1);
        Assert.DoesNotContain(logs, l => l.Contains("anytime cap", StringComparison.Ordinal));
        Assert.True(suggestion.Terms!.CostUpperQuantile <= 30 * 0.05 / 0.51 + 1e-9, $"upper cost quantile {suggestion.Terms!.CostUpperQuantile}");
    }

    /// <summary>One suggestion at 49 % of a budget whose 51 % left is 30, with checkpoints every 2x and the given crossing fraction.</summary>
    private static (Suggestion Suggestion, List<string> Logs) SuggestJustBeforeHalfTheBudget(double crossing)
    {
        var logs = new List<string>();
        var tuner = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = 2, AnytimeCrossingFraction = crossing }, logs);
        var batch = tuner.Suggest(1, new SuggestionBudget(CostLeft: 30, SpentFraction: 0.49));
        return (Assert.Single(batch), logs);
    }

    [Fact]
    public void Suggest_WithCheckpoints_NeverExceedsTheBudgetLeft()
    {
        // The checkpoints only rank candidates under the hard limit: a budget left below the cheapest point still gives nothing.
        var tuner = Driven(new CarbsOptions { Seed = 5, ResampleFrequency = 0, AnytimeCheckpointRatio = 2 });
        Assert.Empty(tuner.Suggest(1, new SuggestionBudget(CostLeft: 0.5, SpentFraction: 0.3)));
    }

    [Fact]
    public void Suggest_WithCheckpointsButNoBudget_IsThePlainTuner()
    {
        var plain = Driven(new CarbsOptions { Seed = 8, ResampleFrequency = 0, AnytimeCheckpointRatio = null });
        var anytime = Driven(new CarbsOptions { Seed = 8, ResampleFrequency = 0, AnytimeCheckpointRatio = 2 });
        var a = plain.Suggest(1)[0];
        var b = anytime.Suggest(1)[0];
        Assert.Equal(a.Parameters.OrderBy(kv => kv.Key), b.Parameters.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Options_CheckpointsAreOnByDefaultAndSurviveJson()
    {
        Assert.Equal(2.0, new CarbsOptions().AnytimeCheckpointRatio);
        Assert.Equal(0.1, new CarbsOptions().AnytimeCrossingFraction);
        var tuner = Driven(new CarbsOptions { Seed = 3, ResampleFrequency = 0, AnytimeCheckpointRatio = 3, AnytimeCrossingFraction = 0.2 });
        var restored = CarbsTuner.FromJson(tuner.ToJson());
        Assert.Equal(3.0, restored.Options.AnytimeCheckpointRatio);
        Assert.Equal(0.2, restored.Options.AnytimeCrossingFraction);
        var budget = new SuggestionBudget(CostLeft: 30, SpentFraction: 0.3);
        TunerFixtures.AssertSameSuggestion(tuner.Suggest(1, budget)[0], restored.Suggest(1, budget)[0]);
    }

    [Fact]
    public void Options_CheckpointRatioMustExceedOne()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { AnytimeCheckpointRatio = 1 }));
        Assert.Contains("AnytimeCheckpointRatio", ex.Message, StringComparison.Ordinal);
    }
}
