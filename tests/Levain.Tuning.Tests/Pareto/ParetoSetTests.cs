using CsCheck;
using Levain.Tuning.Pareto;

namespace Levain.Tuning.Tests.Pareto;

public sealed class ParetoSetTests
{
    /// <summary>
    /// Brute force of docs/tuner.md A4: a group at or below the threshold is in the set iff it is the best of those groups;
    /// a group above it is in iff it is strictly better than every other group costing no more than it.
    /// </summary>
    private static HashSet<int> BruteForce(double[] costs, double[] outputs, double threshold, bool maximize)
    {
        double Good(int i) => maximize ? outputs[i] : -outputs[i];
        var set = new HashSet<int>();
        for (var g = 0; g < costs.Length; g++)
        {
            var limit = Math.Max(threshold, costs[g]);
            var beatsAll = Enumerable.Range(0, costs.Length).Where(h => h != g && costs[h] <= limit).All(h => Good(g) > Good(h));
            if (beatsAll)
            {
                set.Add(g);
            }
        }
        return set;
    }

    [Fact]
    public void ParetoSet_Meets_Specification()
    {
        var gen = Gen.Select(Gen.Int[1, 25], Gen.Double[0, 1], Gen.Bool, Gen.Int[0, 100_000]);
        gen.Sample((n, fraction, maximize, seed) =>
        {
            var rng = new Random(seed);
            var costs = Enumerable.Range(0, n).Select(_ => Math.Exp(rng.NextDouble() * 5)).ToArray();
            var outputs = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            var threshold = ParetoSet.Quantile(costs, fraction);
            var selected = ParetoSet.Select(costs, outputs, threshold, maximize);
            Assert.Equal(BruteForce(costs, outputs, threshold, maximize), selected.ToHashSet());
            // Ascending cost, strictly improving output, and no member dominates another.
            for (var i = 1; i < selected.Length; i++)
            {
                Assert.True(costs[selected[i]] >= costs[selected[i - 1]]);
                Assert.True(maximize ? outputs[selected[i]] > outputs[selected[i - 1]] : outputs[selected[i]] < outputs[selected[i - 1]]);
            }
            Assert.NotEmpty(selected);
        }, iter: 500);
    }

    [Fact]
    public void Select_ThresholdRule_StartsAtBestCheapGroup()
    {
        // Costs 1..5, threshold 0.4 quantile = 2.6: groups with cost 1 and 2 compete; the better (cost 2) starts.
        double[] costs = [1, 2, 3, 4, 5];
        double[] outputs = [0.9, 0.5, 0.6, 0.4, 0.1];
        var threshold = ParetoSet.Quantile(costs, 0.4);
        Assert.Equal(2.6, threshold, 1e-12);
        Assert.Equal([1, 3, 4], ParetoSet.Select(costs, outputs, threshold, isMaximizing: false));
        Assert.Equal([0], ParetoSet.Select(costs, outputs, threshold, isMaximizing: true));
    }

    [Fact]
    public void Select_EqualCosts_KeepsOnlyTheBest()
    {
        double[] costs = [3, 3, 3];
        double[] outputs = [0.2, 0.1, 0.3];
        Assert.Equal([1], ParetoSet.Select(costs, outputs, 3, isMaximizing: false));
    }

    [Fact]
    public void Quantile_MatchesLinearInterpolation()
    {
        Assert.Equal(1.6, ParetoSet.Quantile([4, 1, 3, 2], 0.2), 1e-12); // position 0.2 · 3 = 0.6 between 1 and 2
        Assert.Equal(4, ParetoSet.Quantile([4, 1, 3, 2], 1), 1e-12);
        Assert.Equal(7, ParetoSet.Quantile([7], 0.2), 1e-12);
        Assert.True(double.IsNaN(ParetoSet.Quantile([], 0.2)));
    }
}
