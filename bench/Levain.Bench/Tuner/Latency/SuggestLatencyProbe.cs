using System.Diagnostics;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Latency;

/// <summary>
/// Measures <see cref="CarbsTuner.Suggest"/> in a 10-D space fed with synthetic observations of a 10-D function
/// (a shifted quadratic with ripples; cost grows exponentially along two directions), as a tuning loop sees it.
/// Resampling is disabled so that every timed call is a Bayesian-phase suggestion (model fit, candidates,
/// acquisition); with a preloaded history the default tuner would otherwise answer with cheap resamples. Each
/// measurement times the default tuner (incremental factorisation), the full-refit one and the default tuner in the
/// second half of a budget (answer refinement active) side by side.
/// </summary>
public static class SuggestLatencyProbe
{
    public const int Dimensions = 10;

    /// <summary>
    /// The default tuner and, in the same run, one with <see cref="CarbsOptions.IncrementalModels"/> off (full refit at
    /// every suggestion), both fed the same history; their timed calls alternate so machine load hits both alike.
    /// </summary>
    public static LatencyPoint Measure(int observations, int warmCalls, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmCalls);
        var incremental = Prepare(observations, seed, incrementalModels: true);
        var full = Prepare(observations, seed, incrementalModels: false);
        var late = Prepare(observations, seed, incrementalModels: true);
        var coldFull = TimeSuggest(full.Tuner, full.Random, SuggestionBudget.None);
        var cold = TimeSuggest(incremental.Tuner, incremental.Random, SuggestionBudget.None);
        var coldLate = TimeSuggest(late.Tuner, late.Random, SecondHalf);
        var warm = new double[warmCalls];
        var warmFull = new double[warmCalls];
        var warmLate = new double[warmCalls];
        for (var k = 0; k < warmCalls; k++)
        {
            warmFull[k] = TimeSuggest(full.Tuner, full.Random, SuggestionBudget.None);
            warm[k] = TimeSuggest(incremental.Tuner, incremental.Random, SuggestionBudget.None);
            warmLate[k] = TimeSuggest(late.Tuner, late.Random, SecondHalf);
        }
        return new LatencyPoint(Dimensions, observations, cold, Median(warm), warm)
        {
            FullRefit = new LatencyPoint(Dimensions, observations, coldFull, Median(warmFull), warmFull),
            SecondHalf = new LatencyPoint(Dimensions, observations, coldLate, Median(warmLate), warmLate),
        };
    }

    /// <summary>
    /// A study three quarters through its budget (no cost limit): the default tuner then also fits the dear runs'
    /// model and scores the answer refinement's candidates (<see cref="CarbsOptions.AnswerRefinementShare"/>).
    /// </summary>
    private static readonly SuggestionBudget SecondHalf = new(CostLeft: null, SpentFraction: 0.75);

    private static (CarbsTuner Tuner, Random Random) Prepare(int observations, int seed, bool incrementalModels)
    {
        var space = new SearchSpace(Enumerable.Range(0, Dimensions)
            .Select(d => ParameterSpec.Linear($"p{d}", center: 0.0, min: -3.0, max: 3.0)));
        var tuner = new CarbsTuner(space, new CarbsOptions
        {
            Direction = Direction.Minimize,
            Seed = seed,
            ResampleFrequency = 0,
            NumRandomSamples = 4, // the Bayesian phase from the 4th observation on, so every measured call fits the models
            IncrementalModels = incrementalModels,
        });
        var random = new Random(seed);
        for (var i = 0; i < observations; i++)
        {
            var pointInParam = new Dictionary<string, ParamValue>(StringComparer.Ordinal);
            for (var d = 0; d < Dimensions; d++)
            {
                pointInParam[$"p{d}"] = ParamValue.FromNumber(Math.Round(-1.5 + 3.0 * random.NextDouble(), 6));
            }
            tuner.Observe(Evaluate(pointInParam, random));
        }
        return (tuner, random);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    /// <summary>Times one Suggest (after a full garbage collection), then observes the suggested point so the next call sees one more observation.</summary>
    private static double TimeSuggest(CarbsTuner tuner, Random random, SuggestionBudget budget)
    {
        // The two tuners alternate in one process: collect first, so neither's garbage is collected on the other's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var start = Stopwatch.GetTimestamp();
        var suggestion = tuner.Suggest(1, budget)[0];
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (suggestion.Phase != SuggestionPhase.Bayesian)
        {
            throw new InvalidOperationException($"Expected a Bayesian-phase suggestion to time, got {suggestion.Phase}.");
        }
        tuner.Observe(Evaluate(suggestion.Parameters, random) with { SuggestionId = suggestion.Id });
        return seconds;
    }

    private static Observation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random random)
    {
        var value = 0.0;
        for (var d = 0; d < Dimensions; d++)
        {
            var x = pointInParam[$"p{d}"].Number;
            value += (x - 0.3) * (x - 0.3) + 0.1 * Math.Sin(3.0 * x);
        }
        var cost = Math.Exp(0.5 * (pointInParam["p0"].Number + pointInParam["p1"].Number));
        return new Observation(pointInParam, value + 0.05 * (random.NextDouble() - 0.5), cost);
    }
}
