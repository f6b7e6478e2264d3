using Levain.Bench.Tuner.Latency;

namespace Levain.Bench.Tests.Tuner.Latency;

public sealed class SuggestLatencyProbeTests
{
    [Fact]
    public void Measure_FewObservations_TimesBayesianSuggestionsIn10D()
    {
        var point = SuggestLatencyProbe.Measure(observations: 12, warmCalls: 3, seed: 1);

        Assert.Equal(10, point.Dimensions);
        Assert.Equal(12, point.Observations);
        Assert.Equal(3, point.WarmSeconds.Count);
        Assert.All(point.WarmSeconds, s => Assert.InRange(s, 1e-7, 30.0));
        Assert.Equal(point.WarmSeconds.Order().ElementAt(1), point.MedianSeconds);
        // The full refit and the second half of a budget are timed in the same run, as many calls each.
        Assert.Equal(3, point.FullRefit!.WarmSeconds.Count);
        Assert.Equal(3, point.SecondHalf!.WarmSeconds.Count);
        Assert.All(point.SecondHalf.WarmSeconds, s => Assert.InRange(s, 1e-7, 30.0));
    }
}
