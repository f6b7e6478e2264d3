namespace Levain.Evals.Statistics;

/// <summary>
/// Combines subtask estimates into a group estimate (docs/evals.md, "Task groups"). With sizes n_i (items), scores m_i
/// and standard errors SE_i of k subtasks, N = Σ n_i:
/// <list type="bullet">
/// <item>weighted by size: mean = Σ n_i m_i / N; the pooled standard error (lm-eval's <c>pooled_sample_stderr</c>)
/// recovers each subtask's sample variance s_i² = n_i SE_i², pools them, s_p² = Σ (n_i − 1) s_i² / (N − k), and
/// reports SE = √(s_p² / N). It treats the subtasks as one sample with a common variance (the spread between subtask
/// means is not added).</item>
/// <item>unweighted: mean = Σ m_i / k, SE = √(Σ SE_i²) / k (the mean of k independent estimates).</item>
/// </list>
/// The standard error is null when a subtask has none, or when N − k is 0.
/// </summary>
public static class GroupAggregation
{
    public const string PooledMethod = "pooled";

    public const string IndependentMethod = "independent";

    public static MetricEstimate Aggregate(IReadOnlyList<(MetricEstimate Estimate, int Size)> subtasks, bool isWeightedBySize)
    {
        ArgumentNullException.ThrowIfNull(subtasks);
        ArgumentOutOfRangeException.ThrowIfZero(subtasks.Count);
        var k = subtasks.Count;
        var total = subtasks.Sum(s => s.Size);
        var hasErrors = subtasks.All(s => s.Estimate.StandardError is not null);
        if (isWeightedBySize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(subtasks.Min(s => s.Size), 1);
            var mean = subtasks.Sum(s => s.Size * s.Estimate.Value) / total;
            double? pooled = null;
            if (hasErrors && total > k)
            {
                var variance = subtasks.Sum(s => (s.Size - 1) * s.Size * s.Estimate.StandardError!.Value * s.Estimate.StandardError.Value) / (total - k);
                pooled = Math.Sqrt(variance / total);
            }
            return new MetricEstimate(mean, pooled, total, PooledMethod);
        }
        var plain = subtasks.Average(s => s.Estimate.Value);
        double? independent = hasErrors ? Math.Sqrt(subtasks.Sum(s => s.Estimate.StandardError!.Value * s.Estimate.StandardError.Value)) / k : null;
        return new MetricEstimate(plain, independent, total, IndependentMethod);
    }
}
