using Levain.Lm.Training;

namespace Levain.Lm.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private static readonly TrainingOptions Options = new() { Steps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRateRatio = 0.1 };

    [Fact]
    public void At_Warmup_RisesLinearly()
    {
        Assert.Equal(1e-3 / 11, LearningRateSchedule.At(0, Options), 12);
        Assert.Equal(1e-3 * 10 / 11, LearningRateSchedule.At(9, Options), 12);
    }

    [Fact]
    public void At_AfterWarmup_CosineFromPeakToFloor()
    {
        Assert.Equal(1e-3, LearningRateSchedule.At(10, Options), 12);
        // Halfway through the decay (steps 10..100 of 101), the cosine is at zero: the mean of peak and floor.
        Assert.Equal(1e-4 + 0.5 * 9e-4, LearningRateSchedule.At(55, Options with { Steps = 101 }), 12);
        Assert.Equal(1e-4, LearningRateSchedule.At(99, Options), 12);
    }

    [Fact]
    public void At_EveryStep_WithinFloorAndPeak()
    {
        for (int step = 0; step < Options.Steps; step++)
        {
            double lr = LearningRateSchedule.At(step, Options);
            Assert.InRange(lr, 0, 1e-3);
            if (step >= Options.WarmupSteps)
            {
                Assert.InRange(lr, 1e-4 - 1e-15, 1e-3);
            }
        }
    }
}
