using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>Warm start from an earlier study: points outside the new space are listed and dropped.</summary>
public sealed class CarbsTunerWarmStartTests
{
    [Fact]
    public void ImportObservations_WidenedAndChangedSpace_KeepsInsidePointsAndListsTheRest()
    {
        var earlierSpace = TunerFixtures.QuadraticSpace();
        var earlier = new CarbsTuner(earlierSpace, new CarbsOptions { Seed = 1 });
        TunerFixtures.Drive(earlier, TunerFixtures.Quadratic, 12);
        var history = earlier.Observations.ToList();
        history.Add(new Observation(new Dictionary<string, ParamValue> { ["x"] = 0.1, ["y"] = 0.1, ["z"] = 1.0 }, 1.0, 2.0));
        history.Add(new Observation(new Dictionary<string, ParamValue> { ["x"] = 0.1 }, 1.0, 2.0));

        // The new study narrows x to [0, 2] and keeps y: earlier points with x < 0 fall outside.
        var space = new SearchSpace([ParameterSpec.Linear("x", 1, 0, 2), ParameterSpec.Linear("y", 0, -2, 2)]);
        var tuner = new CarbsTuner(space, new CarbsOptions { Seed = 2 });
        var logs = new List<string>();
        tuner.Logged += (_, line) => logs.Add(line);
        var result = tuner.ImportObservations(history);

        var inside = earlier.Observations.Count(o => o.Parameters["x"].Number >= 0);
        Assert.Equal(inside, result.Imported);
        Assert.Equal(history.Count - inside, result.Dropped.Count);
        Assert.Contains(result.Dropped, d => d.StartsWith("observation 13: Unknown parameter 'z'", StringComparison.Ordinal));
        Assert.Contains(result.Dropped, d => d.StartsWith("observation 14: Parameter 'y' is missing", StringComparison.Ordinal));
        Assert.Equal(inside, tuner.Observations.Count);
        Assert.All(tuner.Observations, o => Assert.Null(o.SuggestionId));
        Assert.Contains(logs, l => l.StartsWith("Warm start: imported", StringComparison.Ordinal));
        // With enough imported successes the tuner starts in the Bayesian phase.
        if (inside >= tuner.RandomPhaseLength)
        {
            Assert.NotEqual(SuggestionPhase.Random, tuner.Suggest()[0].Phase);
        }
    }
}
