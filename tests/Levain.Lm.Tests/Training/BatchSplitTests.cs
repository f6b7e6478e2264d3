using Levain.Lm.FineTuning;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

/// <summary>
/// Training with each batch split over two threads (<see cref="BatchSplit"/>) against the same training on one
/// batch: the same losses and weights up to float rounding (the slices' gradients are summed in another order),
/// bit-for-bit repeatable, and not used where it cannot apply. libtorch's thread count is one per process, and other
/// test classes' trainers and scorers set it too: these tests, which read it back, run alone (a full suite once saw
/// the count at 1 where this class had just set 2).
/// </summary>
[Collection(Name)]
public sealed class BatchSplitTests
{
    public const string Name = "torch thread count";

    private static TrainingOptions Options(bool split, int accumulation = 1) => GptTrainerTests.TenSteps with
    {
        Threads = 2, SplitBatch = split, GradientAccumulation = accumulation,
    };

    [Fact]
    public void Train_SplitOverTwoThreads_MatchesOneBatchUpToRounding()
    {
        var (splitTrace, splitWeights, splitThreads) = Run(Options(split: true));
        var (wholeTrace, wholeWeights, wholeThreads) = Run(Options(split: false));
        Assert.Equal(2, splitThreads);
        Assert.Equal(1, wholeThreads);
        for (int i = 0; i < wholeTrace.Length; i++)
        {
            Assert.True(Math.Abs(splitTrace[i] - wholeTrace[i]) < 1e-4, $"step {i + 1}: {splitTrace[i]} split vs {wholeTrace[i]}");
        }
        Assert.True(wholeTrace[^1] < wholeTrace[0] - 0.3, "the run did not learn");
        foreach (var (name, value) in wholeWeights)
        {
            double difference = (splitWeights[name] - value).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"{name}: split and whole-batch weights differ by {difference}");
        }
    }

    [Fact]
    public void Train_SplitWithMaskedTargets_WeighsSlicesByScoredTargets()
    {
        // Row 0 keeps 3 scored targets, row 1 none (the first slice scores 3 targets, the second 64): weighting the
        // slices by rows instead of scored targets would give another gradient.
        var (splitTrace, splitWeights, _) = Run(Options(split: true), masked: true);
        var (wholeTrace, wholeWeights, _) = Run(Options(split: false), masked: true);
        for (int i = 0; i < wholeTrace.Length; i++)
        {
            Assert.True(Math.Abs(splitTrace[i] - wholeTrace[i]) < 1e-4, $"step {i + 1}: {splitTrace[i]} split vs {wholeTrace[i]}");
        }
        foreach (var (name, value) in wholeWeights)
        {
            double difference = (splitWeights[name] - value).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"{name}: split and whole-batch weights differ by {difference}");
        }
    }

    [Fact]
    public void Train_SplitWithAccumulation_BitForBitRepeatable()
    {
        var (firstTrace, firstWeights, _) = Run(Options(split: true, accumulation: 2));
        var (secondTrace, secondWeights, _) = Run(Options(split: true, accumulation: 2));
        Assert.Equal(firstTrace, secondTrace);
        foreach (var (name, value) in firstWeights)
        {
            Assert.True(secondWeights[name].allclose(value, rtol: 0, atol: 0), $"{name} differs between two identical split runs");
        }
    }

    [Fact]
    public void Trainer_DropoutAdaptersOrOneThread_DoNotSplit()
    {
        var config = new GptConfig(257, 32, 2, 2, 32);
        using var init = new Generator(5);
        using var model = new Gpt(config, init);
        using (var dropout = new GptTrainer(model, Options(split: true) with { Dropout = 0.1 }))
        {
            Assert.Equal(1, dropout.SplitThreads);
        }
        using (var oneThread = new GptTrainer(model, Options(split: true) with { Threads = 1 }))
        {
            Assert.Equal(1, oneThread.SplitThreads);
        }
        var subset = model.named_parameters().Take(2).Select(p => (p.name, p.parameter)).ToList();
        using (var adapters = new GptTrainer(model, Options(split: true), trainable: subset))
        {
            Assert.Equal(1, adapters.SplitThreads);
        }
        using (var oneRow = new GptTrainer(model, Options(split: true) with { BatchSize = 1 }))
        {
            Assert.Equal(1, oneRow.SplitThreads);
        }
    }

    [Fact]
    public void SliceWorkers_EachRunsOneTorchThread_LeavingTheCallersCountAlone()
    {
        set_num_threads(2);
        using (var workers = new SliceWorkers(2))
        {
            Assert.Equal([1.0, 1.0], workers.Run(_ => get_num_threads()));
            Assert.Equal([0.0, 1.0], workers.Run(i => i));
            var error = Assert.Throws<InvalidOperationException>(() => workers.Run(i => i == 1 ? throw new InvalidOperationException("slice 1 failed") : 0));
            Assert.Equal("slice 1 failed", error.Message);
            Assert.Equal([0.0, 1.0], workers.Run(i => i)); // still usable after a failure
        }
        Assert.Equal(2, get_num_threads());
    }

    private static (double[] Trace, Dictionary<string, Tensor> Weights, int SplitThreads) Run(TrainingOptions options, bool masked = false)
    {
        var config = new GptConfig(257, 32, 2, 2, 32);
        using var init = new Generator(1234);
        using var data = new Generator(1235);
        using var model = new Gpt(config, init);
        ITokenBatchSource batches = new RandomWindowBatches(ByteTokenizer.Instance.Encode(GptTrainerTests.Text), 4, 32, data);
        if (masked)
        {
            batches = new MaskedRows(batches);
        }
        using var trainer = new GptTrainer(model, options);
        double[] trace = [.. trainer.Train(batches).LossTrace];
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        return (trace, weights, trainer.SplitThreads);
    }

    /// <summary>Masks targets as fine-tuning batches do: row 0 keeps its last 3, row 1 none, the other rows all.</summary>
    private sealed class MaskedRows(ITokenBatchSource inner) : ITokenBatchSource
    {
        public int BatchSize => inner.BatchSize;

        public int SequenceLength => inner.SequenceLength;

        public (Tensor Inputs, Tensor Targets) Next()
        {
            var (inputs, targets) = inner.Next();
            Tensor masked = targets.clone();
            long t = masked.shape[1];
            masked[0].narrow(0, 0, t - 3).fill_(MaskedExampleBatches.IgnoredTarget);
            masked[1].fill_(MaskedExampleBatches.IgnoredTarget);
            return (inputs, masked);
        }
    }
}

/// <summary>Runs <see cref="BatchSplitTests"/> with no other test class at the same time (the torch thread count is process-wide).</summary>
[CollectionDefinition(BatchSplitTests.Name, DisableParallelization = true)]
public sealed class TorchThreadCountCollection;
