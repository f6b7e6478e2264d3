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
        var byKey = successes.GroupBy(o => ObservationGroup.KeyOf(space, o.Parameters), StringComparer.Ordinal).Where(g => g.Count() >= 2).ToList();
        if (byKey.Count > 0)
        {
            double sumSquares = 0;
            var degrees = 0;
            foreach (var group in byKey)
            {
                var mean = group.Average(o => o.Output);
                sumSquares += group.Sum(o => (o.Output - mean) * (o.Output - mean));
                degrees += group.Count() - 1;
            }
            return new NoiseEstimate(Math.Sqrt(sumSquares / degrees), byKey.Count, $"pooled over {byKey.Count} replicated point(s)");
        }
        if (successes.Count >= 2 && hyperparameters.TryGetValue("output", out var theta) && theta.Length > 0)
        {
            var mean = successes.Average(o => o.Output);
            var spread = Math.Sqrt(successes.Sum(o => (o.Output - mean) * (o.Output - mean)) / (successes.Count - 1));
            var noiseInTransformed = Math.Sqrt(Math.Exp(theta[^1]) + Notation.NoiseFloor);
            return new NoiseEstimate(noiseInTransformed * spread, 0, "output model's fitted noise");
        }
        return new NoiseEstimate(null, 0, "none");
    }

    /// <summary>
    /// True when some assignment was run at least twice with outputs that differ beyond rounding (relative 10⁻⁹): the
    /// objective is noisy. The evidence of <see cref="CarbsOptions.CostDependentNoise"/>'s automatic mode; a pure
    /// function of the observations, so a restored tuner decides alike.
    /// </summary>
    public static bool ReplicatesDisagree(SearchSpace space, IReadOnlyList<Observation> successes)
    {
        var seen = new Dictionary<string, (double Min, double Max)>(StringComparer.Ordinal);
        foreach (var o in successes)
        {
            var key = ObservationGroup.KeyOf(space, o.Parameters);
            var range = seen.TryGetValue(key, out var r) ? (Math.Min(r.Min, o.Output), Math.Max(r.Max, o.Output)) : (o.Output, o.Output);
            if (range.Item2 - range.Item1 > 1e-9 * Math.Max(Math.Abs(range.Item1), Math.Abs(range.Item2)))
            {
                return true;
            }
            seen[key] = range;
        }
        return false;
    }
}
