using Levain.Core;
using Levain.Lm.Checkpoints;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Lora;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.FineTuning;

public sealed class LoraAdaptersTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-lora-").FullName;

    private static readonly LoraOptions AllTargets = new() { Rank = 4, Alpha = 8, Targets = ["c_attn", "c_proj", "c_fc"] };

    private static Tensor Tokens() => tensor(new long[] { 10, 200, 33, 256, 7, 99, 101, 5, 42 }, [1, 9], ScalarType.Int64);

    private static void Randomize(LoraAdapters adapters, ulong seed)
    {
        using var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in adapters.NamedParameters.Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)))
        {
            parameter.copy_(randn(parameter.shape, generator: generator) * 0.05);
        }
    }

    [Fact]
    public void FreshAdapters_ChangeNothing_TrainedOnesDo()
    {
        using var model = FineTuneFixtures.Model(11);
        using var noGrad = no_grad();
        using Tensor before = model.forward(Tokens());
        using var generator = new Generator(1);
        using var adapters = LoraAdapters.Attach(model, AllTargets, generator);
        using Tensor fresh = model.forward(Tokens());
        Assert.True(fresh.allclose(before, rtol: 0, atol: 0));
        Randomize(adapters, 2);
        using Tensor adapted = model.forward(Tokens());
        Assert.False(adapted.allclose(before, rtol: 0, atol: 1e-4));
        // 2 layers × (c_attn, attn.c_proj, c_fc, mlp.c_proj) × (A, B)
        Assert.Equal(16, adapters.NamedParameters.Count);
    }

    [Fact]
    public void Merge_ForwardEqualsUnmergedWithin1e5()
    {
        using var model = FineTuneFixtures.Model(12);
        using var generator = new Generator(3);
        using var adapters = LoraAdapters.Attach(model, AllTargets, generator);
        Randomize(adapters, 4);
        using var noGrad = no_grad();
        using Tensor unmerged = model.forward(Tokens());
        adapters.Merge();
        using Tensor merged = model.forward(Tokens());
        double difference = (merged - unmerged).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max |merged − unmerged| = {difference}");
        Assert.True(adapters.IsMerged);
    }

    [Fact]
    public void Training_UpdatesOnlyAdapters()
    {
        using var model = FineTuneFixtures.Model(13);
        var baseWeights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var generator = new Generator(5);
        using var adapters = LoraAdapters.Attach(model, new LoraOptions { Rank = 2, Alpha = 4 }, generator);
        var adapterBefore = adapters.NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        var encoder = FineTuneFixtures.Encoder();
        var rows = Enumerable.Range(0, 8).Select(i => encoder.Encode(FineTuneFixtures.Dolly($"Echo {i}", $"{i}{i}{i}"))).ToList();
        var batches = new MaskedExampleBatches(rows, 4, 96, ByteTokenizer.EndOfText, generator);
        using (var trainer = new GptTrainer(model, new TrainingOptions { Steps = 5, BatchSize = 4, WarmupSteps = 0, LearningRate = 1e-2 }, trainable: adapters.NamedParameters))
        {
            trainer.Train(batches, cancellationToken: TestContext.Current.CancellationToken);
        }
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.allclose(baseWeights[name], rtol: 0, atol: 0), $"{name} changed");
        }
        Assert.Contains(adapters.NamedParameters, p => !p.Parameter.allclose(adapterBefore[p.Name], rtol: 0, atol: 1e-7));
    }

    [Fact]
    public void SaveThenLoad_ThroughFineTunedModel_SameLogits()
    {
        string baseDir = FineTuneFixtures.SaveBase(Path.Combine(_directory, "base"), seed: 14);
        string adapterDir = Path.Combine(_directory, "adapter");
        using var noGrad = no_grad();
        Tensor expected;
        using (var loaded = Checkpoint.Load(baseDir))
        {
            using var generator = new Generator(6);
            using var adapters = LoraAdapters.Attach(loaded.Model, AllTargets, generator);
            Randomize(adapters, 7);
            expected = loaded.Model.forward(Tokens());
            adapters.Save(adapterDir, baseDir, loaded.WeightsHash);
        }
        Assert.False(File.Exists(Path.Combine(adapterDir, Checkpoint.WeightsFileName)));
        using var model = FineTunedModel.Load(adapterDir);
        Assert.True(model.HasAdapters);
        using Tensor actual = model.Model.forward(Tokens());
        // Load sets torch's thread count, and kernels round differently across thread counts: float32 kernel tolerance.
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5));

        // A base that changed since the adapters were trained is refused, naming the field.
        FineTuneFixtures.SaveBase(baseDir, seed: 15);
        var e = Assert.Throws<InputException>(() => FineTunedModel.Load(adapterDir));
        Assert.Equal("base_weights_hash", e.Field);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
