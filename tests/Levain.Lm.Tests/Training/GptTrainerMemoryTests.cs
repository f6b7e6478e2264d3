using System.Diagnostics;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

public sealed class GptTrainerMemoryTests
{
    [Fact]
    public void Train_ManySteps_ResidentMemoryStaysRoughlyFlat()
    {
        // Without per-step dispose scopes every step leaks its activations and gradients (~MBs here), so 300 steps
        // would add hundreds of MB and thousands of live tensors.
        var config = new GptConfig(257, 64, 2, 2, 64);
        using var init = new Generator(5);
        using var data = new Generator(6);
        using var model = new Gpt(config, init);
        var batches = new RandomWindowBatches(ByteTokenizer.Instance.Encode(GptTrainerTests.Text), 8, 64, data);
        var rssByStep = new Dictionary<int, long>();
        var liveTensorsByStep = new Dictionary<int, long>();
        var progress = new InlineProgress(p =>
        {
            using var self = Process.GetCurrentProcess();
            rssByStep[p.Step] = self.WorkingSet64;
            liveTensorsByStep[p.Step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount; // this thread's tensors
        });
        // Inline batches: the live-tensor count is per thread, and prefetched batches are created on another thread.
        using var trainer = new GptTrainer(model, new TrainingOptions { Steps = 300, BatchSize = 8, WarmupSteps = 5, ProgressEvery = 50, Threads = 1, Prefetch = 0 });
        trainer.Train(batches, progress, cancellationToken: TestContext.Current.CancellationToken);
        // Exact: no tensor created by a step outlives it. Loose: RSS is process-wide (other tests run in parallel and
        // allocators keep freed pages), so it only has to stay far below what a per-step leak would add.
        Assert.Equal(liveTensorsByStep[50], liveTensorsByStep[300]);
        long growth = rssByStep[300] - rssByStep[50];
        Assert.True(growth < 250L * 1024 * 1024, $"RSS grew {growth / 1048576.0:F1} MB between steps 50 and 300");
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
