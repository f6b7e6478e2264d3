using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>Resampling only when the estimated noise makes the Pareto order uncertain.</summary>
public sealed class CarbsTunerResampleTests
{
    private static Dictionary<string, ParamValue> Point(double x, double y) => new() { ["x"] = x, ["y"] = y };

    private static CarbsTuner Seeded(Func<int, double> noise, List<string> logs)
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 5, ResampleFrequency = 3, NumRandomSamples = 2 });
        tuner.Logged += (_, line) => logs.Add(line);
        // Two replicated points (the first twice) and a cheap-to-dear front whose neighbours are 0.05 apart.
        double[] xs = [-1.5, -1.5, -1.0, -0.5, 0.0];
        for (var i = 0; i < xs.Length; i++)
        {
            var p = Point(xs[i], -0.5);
            var (output, cost) = TunerFixtures.Quadratic(p);
            tuner.Observe(new Observation(p, (output * 0.02) + noise(i), cost));
        }
        return tuner;
    }

    [Fact]
    public void Suggest_ReplicatesReturnedIdenticalOutputs_NeverResamples()
    {
        var logs = new List<string>();
        var tuner = Seeded(_ => 0.0, logs);
        Assert.NotEqual(SuggestionPhase.Resample, tuner.Suggest()[0].Phase);
        Assert.Contains(logs, l => l.Contains("identical outputs", StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_NoisyReplicatesAndCloseNeighbours_ResamplesAnUncertainParetoPoint()
    {
        var logs = new List<string>();
        var tuner = Seeded(i => i == 1 ? 0.3 : 0.0, logs);
        var s = tuner.Suggest()[0];
        Assert.Equal(SuggestionPhase.Resample, s.Phase);
        Assert.Contains(tuner.GetParetoFront().Points, p => p.Parameters["x"] == s.Parameters["x"]);
    }

    [Fact]
    public void Suggest_NoisyButClearlyOrderedFront_DoesNotResample()
    {
        var logs = new List<string>();
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { Seed = 5, ResampleFrequency = 3, NumRandomSamples = 2 });
        tuner.Logged += (_, line) => logs.Add(line);
        // Replicates differ by 0.002; the front steps by ~0.6 or more, far beyond 2σ.
        tuner.Observe(new Observation(Point(-1.5, -0.5), 4.41, 1.5));
        tuner.Observe(new Observation(Point(-1.5, -0.5), 4.412, 1.5));
        tuner.Observe(new Observation(Point(-1.0, -0.5), 2.56, 2.0));
        tuner.Observe(new Observation(Point(-0.5, -0.5), 1.21, 2.5));
        tuner.Observe(new Observation(Point(0.0, -0.5), 0.36, 3.0));
        Assert.NotEqual(SuggestionPhase.Resample, tuner.Suggest()[0].Phase);
        Assert.Contains(logs, l => l.Contains("Pareto order is clear", StringComparison.Ordinal));
    }
}
