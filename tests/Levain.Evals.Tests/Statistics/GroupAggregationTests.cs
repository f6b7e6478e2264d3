using Levain.Evals.Statistics;

namespace Levain.Evals.Tests.Statistics;

public sealed class GroupAggregationTests
{
    private static readonly (MetricEstimate, int)[] Subtasks =
    [
        (new MetricEstimate(0.5, 0.1, 10, "mean"), 10),
        (new MetricEstimate(0.8, 0.05, 30, "mean"), 30),
        (new MetricEstimate(0.25, 0.2, 5, "clustered"), 5),
    ];

    /// <summary>
    /// By hand: N = 45, mean = (10·0.5 + 30·0.8 + 5·0.25)/45 = 30.25/45; s_i² = n_i·SE_i² = 0.1, 0.075, 0.2;
    /// s_p² = (9·0.1 + 29·0.075 + 4·0.2)/(45 − 3) = 3.875/42; SE = √(s_p²/45).
    /// </summary>
    [Fact]
    public void Aggregate_WeightedBySize_SizeWeightedMeanAndPooledStandardError()
    {
        var group = GroupAggregation.Aggregate(Subtasks, isWeightedBySize: true);
        Assert.Equal(30.25 / 45, group.Value, 1e-12);
        Assert.Equal(Math.Sqrt(3.875 / 42 / 45), group.StandardError!.Value, 1e-12);
        Assert.Equal(0.04527984706538385, group.StandardError.Value, 1e-12);
        Assert.Equal(45, group.Count);
        Assert.Equal("pooled", group.Method);
    }

    /// <summary>By hand: mean = (0.5 + 0.8 + 0.25)/3; SE = √(0.01 + 0.0025 + 0.04)/3.</summary>
    [Fact]
    public void Aggregate_Unweighted_PlainMeanAndErrorOfIndependentMeans()
    {
        var group = GroupAggregation.Aggregate(Subtasks, isWeightedBySize: false);
        Assert.Equal(1.55 / 3, group.Value, 1e-12);
        Assert.Equal(Math.Sqrt(0.0525) / 3, group.StandardError!.Value, 1e-12);
        Assert.Equal("independent", group.Method);
    }

    [Fact]
    public void Aggregate_EqualSizesAndErrors_PooledEqualsSingleTaskScaled()
    {
        // Two identical subtasks of n items: s_p² = s², so SE = s/√(2n) = SE_task/√2.
        var task = new MetricEstimate(0.6, 0.08, 25, "mean");
        var group = GroupAggregation.Aggregate([(task, 25), (task, 25)], isWeightedBySize: true);
        Assert.Equal(0.6, group.Value, 1e-12);
        Assert.Equal(0.08 / Math.Sqrt(2), group.StandardError!.Value, 1e-12);
    }

    [Fact]
    public void Aggregate_SubtaskWithoutError_NoGroupError()
    {
        var group = GroupAggregation.Aggregate([(new MetricEstimate(1, null, 1, "mean"), 1), (new MetricEstimate(0.5, 0.1, 10, "mean"), 10)], isWeightedBySize: true);
        Assert.Equal(6.0 / 11, group.Value, 1e-12);
        Assert.Null(group.StandardError);
    }
}
