using System.Diagnostics;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

public sealed class GptTrainerTests
{
    private const double TraceTolerance = 1e-2;

    // Produced by this test's configuration at seed 1234 (1 thread, fp32, CPU); step 1 is ln(257) ≈ 5.549 as it must be.
    // Regenerate only when the model, initialisation, optimizer or schedule changes on purpose.
    private static readonly double[] StoredTrace = [5.5459, 5.4750, 5.3298, 5.1879, 5.0861, 4.9689, 4.9110, 4.8262, 4.7660, 4.7558];

    internal static readonly string Text = string.Concat(Enumerable.Range(0, 40).Select(i =>
        $"x = {i % 7}\nfor i in range({i % 3 + 2}):\n    x = x + {i % 5}\nprint(x)\n# Output: {i % 7 + (i % 3 + 2) * (i % 5)}\n"));

    internal static TrainingOptions TenSteps => new()
    {
        Steps = 10, BatchSize = 4, LearningRate = 3e-3, WarmupSteps = 2, Seed = 1234, Threads = 1, ProgressEvery = 1,
    };

    [Fact]
    public void Train_TenStepsAtFixedSeed_MatchesStoredLossTrace()
    {
        double[] trace = RunTenSteps();
        Assert.Equal(StoredTrace.Length, trace.Length);
        for (int i = 0; i < trace.Length; i++)
        {
            Assert.True(Math.Abs(trace[i] - StoredTrace[i]) < TraceTolerance, $"step {i + 1}: {trace[i]} vs stored {StoredTrace[i]}");
        }
    }

    [Fact]
    public void Train_SameSeedTwice_IdenticalTrace()
    {
        Assert.Equal(RunTenSteps(), RunTenSteps());
    }

    internal static double[] RunTenSteps()
    {
        var config = new GptConfig(257, 32, 2, 2, 32);
        using var init = new Generator(1234);
        using var data = new Generator(1235);
        using var model = new Gpt(config, init);
        var batches = new RandomWindowBatches(ByteTokenizer.Instance.Encode(Text), 4, 32, data);
        using var trainer = new GptTrainer(model, TenSteps);
        return [.. trainer.Train(batches).LossTrace];
    }
}
