namespace Levain.Health.Training;

/// <summary>
/// Model FLOPs utilisation: achieved model FLOP/s over the hardware peak. Training FLOPs per token are
/// 6·N (forward and backward through the weights) + 12·L·d·T (attention scores and values, forward and backward;
/// PaLM appendix B). A step ends when its slowest rank does, so throughput is all tokens over the sum of the
/// per-step maximum times.
/// </summary>
public static class MfuCalculator
{
    public static double FlopsPerToken(MfuInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (6 * input.Parameters) + (12.0 * input.Layers * input.ModelWidth * input.SequenceLength);
    }

    public static MfuResult Compute(IReadOnlyList<StepRecord> records, MfuInput input)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(input.Parameters, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(input.PeakFlopsPerGpu, 0);
        if (records.Count == 0)
        {
            throw new ArgumentException("no steps", nameof(records));
        }
        var steps = records.GroupBy(r => r.Step).Select(g => (Tokens: g.Sum(r => r.Tokens), Seconds: g.Max(r => r.StepTimeSeconds))).ToList();
        var tokensPerSecond = steps.Sum(s => (double)s.Tokens) / steps.Sum(s => s.Seconds);
        var gpus = input.Gpus ?? records.Select(r => r.Rank).Distinct().Count();
        var flopsPerToken = FlopsPerToken(input);
        var achieved = tokensPerSecond * flopsPerToken;
        var peak = input.PeakFlopsPerGpu * gpus;
        return new MfuResult(tokensPerSecond, flopsPerToken, achieved, peak, achieved / peak, steps.Count, gpus);
    }
}
