namespace Levain.Tuning.Pareto;

/// <summary>The selection rule of docs/tuner.md A4 over already-grouped observations (group mean cost and output).</summary>
internal static class ParetoSet
{
    /// <summary>
    /// Indices of the Pareto groups in ascending cost. The best group with cost ≤ the threshold starts the set; then,
    /// walking the other groups by ascending cost (ties: better output first), each group strictly better than the
    /// last member joins. Returns an empty array for no groups.
    /// </summary>
    public static int[] Select(IReadOnlyList<double> costs, IReadOnlyList<double> outputs, double thresholdCost, bool isMaximizing)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(outputs);
        var n = costs.Count;
        if (n == 0)
        {
            return [];
        }
        double Goodness(int i) => isMaximizing ? outputs[i] : -outputs[i];
        var order = Enumerable.Range(0, n).OrderBy(i => costs[i]).ThenByDescending(Goodness).ThenBy(i => i).ToArray();
        // The threshold is a quantile of all costs, so at least the cheapest group lies at or below it; guard anyway.
        var start = -1;
        foreach (var i in order)
        {
            if (costs[i] <= thresholdCost && (start < 0 || Goodness(i) > Goodness(start)))
            {
                start = i;
            }
        }
        if (start < 0)
        {
            start = order[0];
        }
        var members = new List<int> { start };
        var best = Goodness(start);
        foreach (var i in order)
        {
            if (i != start && costs[i] >= costs[start] && Goodness(i) > best)
            {
                members.Add(i);
                best = Goodness(i);
            }
        }
        return [.. members];
    }

    /// <summary>The q-quantile with linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
