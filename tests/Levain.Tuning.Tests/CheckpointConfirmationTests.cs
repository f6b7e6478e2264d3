using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>
/// Checkpoint confirmation (<see cref="CarbsOptions.CheckpointConfirmationWindow"/>, docs/tuner.md): shortly before an
/// anytime checkpoint, the evaluated parameters the output model predicts best at the dear end are run there.
/// </summary>
public sealed class CheckpointConfirmationTests
{
    /// <summary>x ∈ [−2, 2], fidelity s ∈ [0, 1] (the projection tests' space); here the cost is 0.1 + 0.9 s², so s drives it.</summary>
    private static SearchSpace FidelitySpace() => TargetProjectionTests.FidelitySpace();

    private static double CostOf(double s) => 0.1 + (0.9 * s * s);

    /// <summary>
    /// (x − 0.5)² + 0.2(1 − s): the dear runs (s = 0.95, cost 0.91) are all far from x = 0.5, the runs near it cheap
    /// (s = 0.2, cost 0.136).
    /// </summary>
    private static List<Observation> CheapBestObservations()
    {
        var observations = new List<Observation>();
        foreach (var x in new[] { -1.6, -1.0, 1.4, 1.9 })
        {
            foreach (var s in new[] { 0.1, 0.5, 0.95 })
            {
                observations.Add(new Observation(new Dictionary<string, ParamValue>(StringComparer.Ordinal) { ["x"] = x, ["s"] = s },
                    ((x - 0.5) * (x - 0.5)) + (0.2 * (1 - s)), CostOf(s)));
            }
        }
        foreach (var x in new[] { 0.3, 0.45, 0.6, 0.7 })
        {
            observations.Add(new Observation(new Dictionary<string, ParamValue>(StringComparer.Ordinal) { ["x"] = x, ["s"] = 0.2 },
                ((x - 0.5) * (x - 0.5)) + 0.16, CostOf(0.2)));
        }
        return observations;
    }

    private static ProposedPoint? Pick(double window, double? checkpointLimit)
    {
        var options = new CarbsOptions { Seed = 1, CheckpointConfirmationWindow = window };
        var proposer = BayesianProposer.TryCreate(FidelitySpace(), options, CheapBestObservations(), [], new Dictionary<string, double[]>(),
            new Xoshiro256StarStar(5), _ => { }, spentFraction: 0.2);
        Assert.NotNull(proposer);
        return proposer.Next(double.PositiveInfinity, null, checkpointLimit);
    }

    [Fact]
    public void Next_BeforeACheckpoint_RunsTheBestCheapParametersAtTheDearEnd()
    {
        var pick = Pick(window: 2, checkpointLimit: 1.5);

        Assert.NotNull(pick);
        var p = FidelitySpace().FromBasic(pick.XInBasic);
        Assert.InRange(p["x"].Number, 0.25, 0.75);
        Assert.InRange(p["s"].Number, 0.8, 1.0);
        Assert.Null(pick.OriginKey); // drawn around no Pareto point: no trust region answers for it
        Assert.InRange(pick.Terms.CostUpperQuantile, 0.0, 1.5);
    }

    [Fact]
    public void Next_FarFromTheCheckpointOrOptionOff_IsAnOrdinaryPick()
    {
        var far = Pick(window: 2, checkpointLimit: 5.0); // more than 2 × the dearest cost (0.91) left before the checkpoint
        var off = Pick(window: 0, checkpointLimit: 1.5);

        Assert.NotNull(far);
        Assert.NotNull(off);
        Assert.NotNull(far.OriginKey);
        Assert.NotNull(off.OriginKey);
    }

    [Fact]
    public void Next_TooLittleLeftForHalfTheDearestCost_IsAnOrdinaryPick()
    {
        var pick = Pick(window: 2, checkpointLimit: 0.3); // half the dearest cost is 0.455

        Assert.NotNull(pick);
        Assert.NotNull(pick.OriginKey);
    }

    [Theory]
    [InlineData(2.0, true)]   // 1.25 left before the 25 % checkpoint: within 2 × the dearest cost 0.91
    [InlineData(1.0, false)]  // not within 1 × it
    [InlineData(0.0, false)]  // off
    public void Suggest_WithABudgetNearACheckpoint_ConfirmsOnlyInsideTheWindow(double window, bool confirms)
    {
        var tuner = new CarbsTuner(FidelitySpace(), new CarbsOptions { Seed = 3, ResampleFrequency = 0, CheckpointConfirmationWindow = window });
        var logs = new List<string>();
        tuner.Logged += (_, line) => logs.Add(line);
        foreach (var observation in CheapBestObservations())
        {
            tuner.Observe(observation);
        }

        var suggestion = tuner.Suggest(1, new SuggestionBudget(CostLeft: 20, SpentFraction: 0.2))[0];

        Assert.Equal(confirms, logs.Any(l => l.StartsWith("Checkpoint confirmation", StringComparison.Ordinal)));
        if (confirms)
        {
            Assert.InRange(suggestion.Parameters["x"].Number, 0.25, 0.75);
            Assert.InRange(suggestion.Parameters["s"].Number, 0.8, 1.0);
            Assert.True(suggestion.Terms!.CostUpperQuantile <= 1.25, $"upper cost quantile {suggestion.Terms.CostUpperQuantile}");
        }
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_WindowOutOfRange_Throws(double window)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CarbsTuner(FidelitySpace(), new CarbsOptions { CheckpointConfirmationWindow = window }));
        Assert.Contains(nameof(CarbsOptions.CheckpointConfirmationWindow), ex.Message, StringComparison.Ordinal);
    }
}
