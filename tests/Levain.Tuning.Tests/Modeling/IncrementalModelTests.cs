using Levain.Tuning.Modeling;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Modeling;

/// <summary>The refit schedule, factor reuse in the tuner, rebuild equality and the lazy candidate search.</summary>
public sealed class IncrementalModelTests
{
    [Theory]
    [InlineData(10, null, true)]
    [InlineData(10, 9, true)]
    [InlineData(128, 128, true)]
    [InlineData(129, 128, false)]
    [InlineData(140, 128, false)]
    [InlineData(141, 128, true)]
    [InlineData(1099, 1000, false)]
    [InlineData(1100, 1000, true)]
    [InlineData(990, 1000, true)]
    [InlineData(1000, 1000, false)]
    [InlineData(2000, null, true)]
    public void IsDue_FollowsTheDocumentedRule(int count, int? fittedAt, bool due) =>
        Assert.Equal(due, RefitSchedule.IsDue(count, fittedAt));

    private static CarbsTuner Preloaded(int observations, bool incremental, int seed = 4, bool costDependentNoise = false)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = seed, ResampleFrequency = 0, IncrementalModels = incremental, CostDependentNoise = costDependentNoise });
        var rng = new Random(seed);
        for (var i = 0; i < observations; i++)
        {
            var p = new Dictionary<string, ParamValue>
            {
                ["x"] = ParamValue.FromNumber(Math.Round((rng.NextDouble() * 4) - 2, 4)),
                ["y"] = ParamValue.FromNumber(Math.Round((rng.NextDouble() * 4) - 2, 4)),
            };
            var (output, cost) = TunerFixtures.Quadratic(p);
            tuner.Observe(new Observation(p, output, cost));
        }
        return tuner;
    }

    [Fact]
    public void Suggest_BeyondTheEarlyPhase_RefitsOnScheduleAndExtendsTheCachedFactorBetween()
    {
        var tuner = Preloaded(130, incremental: true);
        var fitCounts = new List<int>();
        var appended = new List<int>();
        for (var step = 0; step < 15; step++)
        {
            var s = tuner.Suggest()[0];
            Assert.Equal(SuggestionPhase.Bayesian, s.Phase);
            fitCounts.Add(tuner.Models.FitCounts["output"]);
            appended.Add(tuner.Models.FactorOf("output")!.AppendedRows);
            var (output, cost) = TunerFixtures.Quadratic(s.Parameters);
            tuner.Observe(new Observation(s.Parameters, output, cost, SuggestionId: s.Id));
        }
        // n = 130 … 144: fitted at 130 (no θ yet), kept while n < 143, refitted at 143 (≥ 1.1·130).
        Assert.Equal([.. Enumerable.Repeat(130, 13), 143, 143], fitCounts);
        // The factor grows one row per suggestion between refits and is rebuilt after one.
        Assert.Equal([.. Enumerable.Range(0, 13), 0, 1], appended);
        Assert.Equal(144, tuner.Models.FactorOf("output")!.Count);
        Assert.Equal(144, tuner.Models.FactorOf("cost")!.Count);
    }

    [Fact]
    public void Suggest_IncrementalModelsOff_RefitsEveryModelAtEverySuggestion()
    {
        var tuner = Preloaded(70, incremental: false);
        for (var step = 0; step < 3; step++)
        {
            var s = tuner.Suggest()[0];
            Assert.Equal(70 + step, tuner.Models.FitCounts["output"]);
            Assert.Null(tuner.Models.FactorOf("output"));
            var (output, cost) = TunerFixtures.Quadratic(s.Parameters);
            tuner.Observe(new Observation(s.Parameters, output, cost, SuggestionId: s.Id));
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void FromJson_AfterIncrementalSuggestions_RestoredTunerMakesTheSameSuggestions(bool withObservations, bool costDependentNoise)
    {
        var live = Preloaded(131, incremental: true, costDependentNoise: costDependentNoise);
        TunerFixtures.Drive(live, TunerFixtures.Quadratic, 4); // n = 131 … 134: θ fitted at 131, factor extended since
        live.Suggest(2); // outstanding: fantasies in the next fits, never in the cached factors
        Assert.True(live.Models.FactorOf("output")!.AppendedRows > 0);
        var restored = withObservations
            ? CarbsTuner.FromJson(live.ToJson())
            : CarbsTuner.FromJson(live.ToJson(includeObservations: false), live.Observations);
        Assert.Equal(131, restored.Models.FitCounts["output"]);
        for (var step = 0; step < 9; step++) // 15 more observations: crosses the refit at n = 145
        {
            var expected = live.Suggest(step % 3 == 0 ? 3 : 1);
            var actual = restored.Suggest(step % 3 == 0 ? 3 : 1);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(SuggestionPhase.Bayesian, expected[i].Phase);
                TunerFixtures.AssertSameSuggestion(expected[i], actual[i]);
                var (output, cost) = TunerFixtures.Quadratic(expected[i].Parameters);
                live.Observe(new Observation(expected[i].Parameters, output, cost, SuggestionId: expected[i].Id));
                restored.Observe(new Observation(actual[i].Parameters, output, cost, SuggestionId: actual[i].Id));
            }
        }
        Assert.Equal(live.Models.FitCounts["output"], restored.Models.FitCounts["output"]);
        Assert.True(live.Models.FitCounts["output"] > 131);
        Assert.Equal(live.ToJson(includeObservations: withObservations), restored.ToJson(includeObservations: withObservations));
    }

    [Fact]
    public void FromJson_StateWithoutFitCounts_RefitsAtTheNextSuggestion()
    {
        var live = Preloaded(140, incremental: true);
        TunerFixtures.Drive(live, TunerFixtures.Quadratic, 2);
        var json = System.Text.Json.Nodes.JsonNode.Parse(live.ToJson())!.AsObject();
        Assert.True(json.Remove("HyperparameterFitCounts"));
        var restored = CarbsTuner.FromJson(json.ToJsonString());
        Assert.Empty(restored.Models.FitCounts);
        restored.Suggest();
        Assert.Equal(142, restored.Models.FitCounts["output"]);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(4.0)]
    [InlineData(2.2)]
    public void Next_BranchAndBoundOverBounds_PicksWhatTheExhaustiveSearchPicks(double costLimit)
    {
        var tuner = Preloaded(120, incremental: true, seed: 8);
        var space = tuner.Space;
        var observations = tuner.Observations;
        ProposedPoint?[] Run(bool lazy)
        {
            var options = new CarbsOptions { Seed = 8, IncrementalModels = lazy };
            var store = new ModelStore(new(StringComparer.Ordinal), new(StringComparer.Ordinal), incremental: false);
            var proposer = BayesianProposer.TryCreate(space, options, observations, [], store, new Xoshiro256StarStar(17), _ => { })!;
            return [.. Enumerable.Range(0, 4).Select(_ => proposer.Next(costLimit))];
        }
        var lazy = Run(lazy: true);
        var exhaustive = Run(lazy: false);
        Assert.All(lazy, p => Assert.NotNull(p));
        for (var i = 0; i < lazy.Length; i++)
        {
            Assert.Equal(exhaustive[i]!.XInBasic, lazy[i]!.XInBasic);
            var (a, b) = (exhaustive[i]!.Terms, lazy[i]!.Terms);
            Assert.Equal(a.Mean, b.Mean, 1e-9);
            Assert.Equal(a.StdDev, b.StdDev, 1e-9);
            Assert.Equal(a.Acquisition, b.Acquisition, 1e-9 * Math.Max(1, Math.Abs(a.Acquisition)));
            Assert.Equal(a.CostUpperQuantile, b.CostUpperQuantile, 1e-9 * a.CostUpperQuantile);
            Assert.True(b.CostUpperQuantile <= costLimit);
        }
    }
}
