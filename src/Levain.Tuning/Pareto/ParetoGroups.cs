using Levain.Tuning.Spaces;

namespace Levain.Tuning.Pareto;

/// <summary>docs/tuner.md A4 end to end: group successes with identical inputs, then select the Pareto set.</summary>
internal static class ParetoGroups
{
    /// <summary>Groups of the successful observations, in first-seen order, with their basic vectors.</summary>
    public static List<ObservationGroup> Group(SearchSpace space, IEnumerable<Observation> successes)
    {
        var byKey = new Dictionary<string, (IReadOnlyDictionary<string, ParamValue> Parameters, double CostSum, double OutputSum, int Count, int Order)>(StringComparer.Ordinal);
        foreach (var o in successes)
        {
            var key = ObservationGroup.KeyOf(space, o.Parameters);
            byKey[key] = byKey.TryGetValue(key, out var g)
                ? (g.Parameters, g.CostSum + o.Cost, g.OutputSum + o.Output, g.Count + 1, g.Order)
                : (o.Parameters, o.Cost, o.Output, 1, byKey.Count);
        }
        return [.. byKey.OrderBy(kv => kv.Value.Order).Select(kv => new ObservationGroup(
            kv.Key, kv.Value.Parameters, space.ToBasic(kv.Value.Parameters), kv.Value.CostSum / kv.Value.Count, kv.Value.OutputSum / kv.Value.Count, kv.Value.Count))];
    }

    /// <summary>The Pareto groups in ascending cost (empty without successes).</summary>
    public static List<ObservationGroup> Front(SearchSpace space, IReadOnlyList<Observation> successes, Direction direction, double minParetoCostFraction)
    {
        var groups = Group(space, successes);
        if (groups.Count == 0)
        {
            return [];
        }
        var threshold = ParetoSet.Quantile([.. successes.Select(o => o.Cost)], minParetoCostFraction);
        var selected = ParetoSet.Select([.. groups.Select(g => g.Cost)], [.. groups.Select(g => g.Output)], threshold, direction == Direction.Maximize);
        return [.. selected.Select(i => groups[i])];
    }
}
