using CsCheck;
using Levain.Health.Tests.Support;
using Levain.Health.Training;

namespace Levain.Health.Tests.Training;

public sealed class StragglerDetectorTests
{
    [Fact]
    public void Detect_SlowRank_FlaggedAlone()
    {
        var r = StragglerDetector.Detect(TrainingLogReader.Load(Fixture.Path("training/straggler.csv")));
        var s = Assert.Single(r.Stragglers);
        Assert.Equal(5, s.Rank);
        Assert.True(s.RobustZ > 20);
        Assert.Equal(1.20, r.MedianStepTimeSeconds, 0.02);
        Assert.False(r.HasDrift);
    }

    [Fact]
    public void Detect_SteadyDrift_FlaggedWithoutStragglers()
    {
        var r = StragglerDetector.Detect(TrainingLogReader.Load(Fixture.Path("training/drift.jsonl")));
        Assert.Empty(r.Stragglers);
        Assert.True(r.HasDrift);
        Assert.Equal(0.003, r.DriftSlopeSecondsPerStep, 0.0005); // 0.3 % of 1 s per step
        Assert.InRange(r.LastTenthMedianSeconds / r.FirstTenthMedianSeconds, 1.2, 1.35);
    }

    [Fact]
    public void Detect_HealthyRun_NothingFlagged()
    {
        var r = StragglerDetector.Detect(TrainingLogReader.Load(Fixture.Path("training/healthy.jsonl")));
        Assert.Empty(r.Stragglers);
        Assert.False(r.HasDrift);
    }

    [Fact]
    public void RobustZ_HandWorkedExample()
    {
        // rank medians 1.0, 1.1, 1.2, 1.3, 3.0: median 1.2, MAD median(|.2|,|.1|,0,.1,1.8) = 0.1
        StepRecord[] log = [new(0, 0, 1.0, 1), new(0, 1, 1.1, 1), new(0, 2, 1.2, 1), new(0, 3, 1.3, 1), new(0, 4, 3.0, 1)];
        var r = StragglerDetector.Detect(log);
        Assert.Equal(0.1, r.MadSeconds, 1e-12);
        Assert.Equal(0.6745 * 1.8 / 0.1, r.Ranks[4].RobustZ, 1e-9);
        Assert.Equal([4], r.Stragglers.Select(s => s.Rank));
    }

    [Fact]
    public void Detect_Meets_Specification_ScaleInvariantAndHighSideOnly()
    {
        Gen.Select(Gen.Double[0.5, 2.0].Array[4, 16], Gen.Double[0.01, 100]).Sample((times, scale) =>
        {
            var log = times.Select((t, rank) => new StepRecord(0, rank, t, 1)).ToList();
            var a = StragglerDetector.Detect(log).Stragglers.Select(s => s.Rank).ToList();
            var b = StragglerDetector.Detect(log.Select(s => s with { StepTimeSeconds = s.StepTimeSeconds * scale }).ToList()).Stragglers.Select(s => s.Rank).ToList();
            var median = Levain.Health.Analysis.Statistics.Median(times);
            return a.SequenceEqual(b) && a.All(rank => times[rank] > median);
        });
    }
}
