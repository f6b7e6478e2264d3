using Levain.Health.Training;

namespace Levain.Health.Tests.Training;

public sealed class MfuCalculatorTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Compute_HandWorkedExample_MatchesOracle()
    {
        // step 0: ranks take 1.0 s and 1.5 s (the step ends at 1.5 s); step 1: both 0.5 s; 1000 tokens per rank-step
        StepRecord[] log = [new(0, 0, 1.0, 1000), new(0, 1, 1.5, 1000), new(1, 0, 0.5, 1000), new(1, 1, 0.5, 1000)];
        var input = new MfuInput(Parameters: 1e9, Layers: 24, ModelWidth: 2048, SequenceLength: 2048, PeakFlopsPerGpu: 100e12, Gpus: null);
        var r = MfuCalculator.Compute(log, input);
        const double flopsPerToken = 6e9 + (12.0 * 24 * 2048 * 2048); // 7,207,959,552
        Assert.Equal(4000.0 / 2.0, r.TokensPerSecond, Tolerance);
        Assert.Equal(flopsPerToken, r.FlopsPerToken, Tolerance);
        Assert.Equal(2, r.Gpus);
        Assert.Equal(2000 * flopsPerToken / 200e12, r.Mfu, Tolerance);
        Assert.Equal(0.07207959552, r.Mfu, Tolerance);
    }

    [Fact]
    public void Compute_ExplicitGpuCount_OverridesRanks()
    {
        StepRecord[] log = [new(0, 0, 2.0, 8192)];
        var r = MfuCalculator.Compute(log, new MfuInput(7e9, 32, 4096, 4096, 989e12, Gpus: 8));
        Assert.Equal(8, r.Gpus);
        Assert.Equal(4096 * ((6 * 7e9) + (12.0 * 32 * 4096 * 4096)) / (8 * 989e12), r.Mfu, Tolerance);
    }

    [Fact]
    public void Compute_FasterSteps_HigherMfu()
    {
        var input = new MfuInput(1e8, 12, 768, 1024, 50e12, 1);
        var slow = MfuCalculator.Compute([new StepRecord(0, 0, 2.0, 4096)], input).Mfu;
        var fast = MfuCalculator.Compute([new StepRecord(0, 0, 1.0, 4096)], input).Mfu;
        Assert.Equal(2 * slow, fast, Tolerance);
    }
}
