using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

/// <summary>Gradient accumulation, dropout and the device option, on CPU.</summary>
public sealed class TrainingFeaturesTests
{
    private static readonly GptConfig Config = new(257, 16, 1, 2, 16);

    [Fact]
    public void GradientAccumulation_TwoHalfBatches_SameStepAsOneFullBatch()
    {
        // RandomWindowBatches draws the window offsets of a batch of 4 as the same four draws as two batches of 2, so
        // accumulating two halves must give the full batch's gradient (up to float summation order). Clipping is off.
        float[] full = OneStep(batchSize: 4, accumulation: 1);
        float[] halves = OneStep(batchSize: 2, accumulation: 2);
        double maxDifference = full.Zip(halves, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDifference < 1e-6, $"max |full - accumulated| = {maxDifference}");
        float[] unaccumulated = OneStep(batchSize: 2, accumulation: 1);
        Assert.True(full.Zip(unaccumulated, (a, b) => Math.Abs(a - b)).Max() > 1e-5, "half a batch has a different gradient");
    }

    [Fact]
    public void Dropout_TrainingModeOnly_AndReproducibleFromItsGenerator()
    {
        using var init = new Generator(1);
        using var model = new Gpt(Config, init);
        using var tokens = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, [1, 6], ScalarType.Int64);
        using var noGrad = no_grad();
        model.eval();
        using Tensor plain = model.forward(tokens);
        model.Dropout = 0.5;
        using var dropout = new Generator(9);
        model.DropoutGenerator = dropout;
        using Tensor evaluated = model.forward(tokens);
        Assert.True(plain.allclose(evaluated, rtol: 0, atol: 0), "no dropout in eval mode");
        model.train();
        using Tensor stateBefore = dropout.get_state();
        using Tensor first = model.forward(tokens);
        dropout.set_state(stateBefore);
        using Tensor again = model.forward(tokens);
        using Tensor third = model.forward(tokens);
        Assert.False(plain.allclose(first, rtol: 0, atol: 1e-4), "dropout changes training-mode logits");
        Assert.True(first.allclose(again, rtol: 0, atol: 0), "same generator state, same masks");
        Assert.False(first.allclose(third, rtol: 0, atol: 1e-4), "the generator advances");
    }

    [Theory]
    [InlineData("cpu", true, "")]
    [InlineData("CUDA", false, "CUDA is not available")]
    [InlineData("cuda:3", true, "there are 2 CUDA devices")]
    [InlineData("cuda:x", true, "non-negative integer")]
    [InlineData("tpu", true, "unknown device")]
    public void ComputeDevice_ParsesAndChecksAvailability(string text, bool cudaAvailable, string problem)
    {
        var (device, message) = ComputeDevice.TryParse(text, () => cudaAvailable, () => 2);
        if (problem.Length == 0)
        {
            Assert.Equal(TorchSharp.DeviceType.CPU, device!.type);
            Assert.Null(message);
        }
        else
        {
            Assert.Null(device);
            Assert.Contains(problem, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ComputeDevice_CudaOnThisBuild_FailsWithPointerToGpuDocs()
    {
        Assert.SkipWhen(cuda.is_available(), "this machine has CUDA");
        var (device, message) = ComputeDevice.TryParse("cuda");
        Assert.Null(device);
        Assert.Contains("docs/gpu.md", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ExplicitCpuDevice_ModelAndBatchesOnCpu()
    {
        using var init = new Generator(2);
        using var model = new Gpt(Config, init);
        Assert.Equal(TorchSharp.DeviceType.CPU, model.Device.type);
        using var data = new Generator(3);
        var batches = new RandomWindowBatches(ByteTokenizer.Instance.Encode(GptTrainerTests.Text), 2, 16, data);
        using var trainer = new GptTrainer(model, new TrainingOptions { Steps = 2, BatchSize = 2, WarmupSteps = 0, Prefetch = 1 });
        Assert.True(double.IsFinite(trainer.Train(batches, cancellationToken: TestContext.Current.CancellationToken).FinalLoss));
    }

    private static float[] OneStep(int batchSize, int accumulation)
    {
        using var init = new Generator(11);
        using var data = new Generator(12);
        using var model = new Gpt(Config, init);
        var batches = new RandomWindowBatches(ByteTokenizer.Instance.Encode(GptTrainerTests.Text), batchSize, 16, data);
        var options = new TrainingOptions { Steps = 1, BatchSize = batchSize, GradientAccumulation = accumulation, WarmupSteps = 0, GradClip = 0, Prefetch = 0 };
        using (var trainer = new GptTrainer(model, options))
        {
            trainer.Train(batches, cancellationToken: TestContext.Current.CancellationToken);
        }
        return [.. model.parameters().SelectMany(p => p.grad!.data<float>().ToArray())]; // the last step's gradient (zeroed only at the next step)
    }
}
