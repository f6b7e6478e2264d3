using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The output noise σ̂ in raw output units that decides whether resampling is worth it. With replicated points (groups
/// of ≥ 2 successes at identical inputs) it is the pooled within-group standard deviation — exactly 0 when the
/// replicates returned identical outputs. Without replicates it is the output model's fitted noise (transformed units,
/// where outputs are roughly standard normal) times the standard deviation of the raw outputs. Null without either.
/// </summary>
internal sealed record NoiseEstimate(double? StdDev, int ReplicatedGroups, string Source)
{
    public static NoiseEstimate Of(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyDictionary<string, double[]> hyperparameters)
    {
        var (variance, groups) = PooledReplicateVariance(space, successes);
        if (groups > 0)
        {
            return new NoiseEstimate(Math.Sqrt(variance), groups, $"pooled over {groups} replicated point(s)");
        }
        if (successes.Count >= 2 && hyperparameters.TryGetValue("output", out var theta) && theta.Length > 0)
        {
            var noiseInTransformed = Math.Sqrt(Math.Exp(theta[^1]) + Notation.NoiseFloor);
            return new NoiseEstimate(noiseInTransformed * Math.Sqrt(SampleVariance(successes)), 0, "output model's fitted noise");
        }
        return new NoiseEstimate(null, 0, "none");
    }

    /// <summary>The pooled within-group variance of the groups of ≥ 2 successes at identical inputs, and their count (0: none).</summary>
    private static (double Variance, int Groups) PooledReplicateVariance(SearchSpace space, IReadOnlyList<Observation> successes)
    {
        double sumSquares = 0;
        var degrees = 0;
        var groups = 0;
        foreach (var group in successes.GroupBy(o => ObservationGroup.KeyOf(space, o.Parameters), StringComparer.Ordinal))
        {
            var count = group.Count();
            if (count >= 2)
            {
                var mean = group.Average(o => o.Output);
                sumSquares += group.Sum(o => (o.Output - mean) * (o.Output - mean));
                degrees += count - 1;
                groups++;
            }
        }
        return (groups > 0 ? sumSquares / degrees : 0.0, groups);
    }

    private static double SampleVariance(IReadOnlyList<Observation> successes)
    {
        var mean = successes.Average(o => o.Output);
        return successes.Sum(o => (o.Output - mean) * (o.Output - mean)) / (successes.Count - 1);
    }

    /// <summary>
    /// The least share of the outputs' variance that the replicates' noise must reach for
    /// <see cref="CarbsOptions.CostDependentNoise"/>'s automatic mode to model it (noise standard deviation ≥ 14 % of
    /// the outputs'); chosen on development seeds (docs/tuner.md, "Cost-dependent output noise").
    /// </summary>
    public const double MaterialNoiseShare = 0.02;

    /// <summary>
    /// The pooled within-group variance of the replicated assignments (groups of ≥ 2 successes at identical inputs) as
    /// a share of the sample variance of all these outputs; 0 without replicates, when the replicates agree, or when
    /// the outputs do not vary. A pure function of the observations, so a restored tuner decides alike.
    /// </summary>
    public static double ReplicateNoiseShare(SearchSpace space, IReadOnlyList<Observation> successes)
    {
        if (successes.Count < 3)
        {
            return 0.0;
        }
        var (replicates, groups) = PooledReplicateVariance(space, successes);
        var variance = SampleVariance(successes);
        return groups > 0 && variance > 0 && double.IsFinite(variance) ? replicates / variance : 0.0;
    }

    /// <summary>
    /// True when the replicates show material noise: <see cref="ReplicateNoiseShare"/> ≥ <see cref="MaterialNoiseShare"/>.
    /// The evidence of <see cref="CarbsOptions.CostDependentNoise"/>'s automatic mode.
    /// </summary>
    public static bool ShowsMaterialNoise(SearchSpace space, IReadOnlyList<Observation> successes) =>
        ReplicateNoiseShare(space, successes) >= MaterialNoiseShare;
}
