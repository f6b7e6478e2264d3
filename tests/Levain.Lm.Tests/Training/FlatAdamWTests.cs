using Levain.Lm.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

/// <summary>
/// <see cref="FlatAdamW"/> against TorchSharp's own AdamW (PyTorch's algorithm) on identical parameters and gradients:
/// decay on matrices only, bias correction, several steps with a changing learning rate; plus clipping against
/// <c>clip_grad_norm_</c> and the flat-buffer bookkeeping.
/// </summary>
public sealed class FlatAdamWTests
{
    private const double Beta1 = 0.9, Beta2 = 0.95, Epsilon = 1e-8, WeightDecay = 0.1;

    // Shapes like a tiny model's: a matrix, a bias, an odd-sized matrix (so slices need alignment padding), a gain.
    private static readonly long[][] Shapes = [[5, 3], [3], [7, 9], [9]];

    [Fact]
    public void Step_FiveSteps_EqualsTorchSharpAdamWWithDecayOnMatricesOnly()
    {
        using var generator = new Generator(11);
        var flat = MakeParameters(generator, 21);
        var reference = flat.Select(p => (p.Name, Parameter: new Parameter(p.Parameter.detach().clone()))).ToList();
        var initial = flat.Select(p => p.Parameter.detach().clone()).ToList();
        using var optimizer = new FlatAdamW(flat, Beta1, Beta2, Epsilon, WeightDecay);
        var decayed = reference.Where(p => p.Parameter.dim() >= 2).Select(p => p.Parameter);
        var undecayed = reference.Where(p => p.Parameter.dim() < 2).Select(p => p.Parameter);
        using var adamW = optim.AdamW(
            [
                new AdamW.ParamGroup(decayed, lr: 1e-2, beta1: Beta1, beta2: Beta2, eps: Epsilon, weight_decay: WeightDecay),
                new AdamW.ParamGroup(undecayed, lr: 1e-2, beta1: Beta1, beta2: Beta2, eps: Epsilon, weight_decay: 0.0),
            ], lr: 1e-2);
        double[] rates = [1e-2, 3e-2, 2e-2, 5e-3, 1e-3];
        foreach (double rate in rates)
        {
            optimizer.ZeroGrad();
            adamW.zero_grad();
            // Gradients reach both through backward of the same loss on the same values.
            Loss(flat.Select(p => (Tensor)p.Parameter), generator.initial_seed()).backward();
            Loss(reference.Select(p => (Tensor)p.Parameter), generator.initial_seed()).backward();
            foreach (var group in adamW.ParamGroups)
            {
                group.LearningRate = rate;
            }
            optimizer.Step(rate);
            adamW.step();
        }
        Assert.Equal(rates.Length, optimizer.StepCount);
        for (int i = 0; i < flat.Count; i++)
        {
            double difference = (flat[i].Parameter - reference[i].Parameter).abs().max().item<float>();
            Assert.True(difference < 1e-6, $"{flat[i].Name}: differs from TorchSharp's AdamW by {difference}");
            Assert.True((flat[i].Parameter - initial[i]).abs().max().item<float>() > 1e-3, $"{flat[i].Name} did not move");
        }
    }

    [Fact]
    public void ClipGradNorm_EqualsClipGradNormOfTheSameGradients()
    {
        using var generator = new Generator(12);
        var flat = MakeParameters(generator, 22);
        var reference = flat.Select(p => new Parameter(p.Parameter.detach().clone())).ToList();
        using var optimizer = new FlatAdamW(flat, Beta1, Beta2, Epsilon, WeightDecay);
        (Loss(flat.Select(p => (Tensor)p.Parameter), 5) * 100).backward();
        (Loss(reference.Select(p => (Tensor)p), 5) * 100).backward();
        double expected = nn.utils.clip_grad_norm_(reference, 0.5);
        double norm = optimizer.ClipGradNorm(0.5);
        Assert.Equal(expected, norm, 3);
        Assert.True(norm > 0.5, $"the test needs gradients above the clip norm, got {norm}");
        for (int i = 0; i < flat.Count; i++)
        {
            double difference = (flat[i].Parameter.grad! - reference[i].grad!).abs().max().item<float>();
            Assert.True(difference < 1e-6, $"{flat[i].Name}: clipped gradient differs by {difference}");
        }
    }

    [Fact]
    public void Constructor_KeepsValuesAndPointsParametersIntoOneBuffer()
    {
        using var generator = new Generator(13);
        var parameters = MakeParameters(generator, 23);
        var before = parameters.Select(p => p.Parameter.detach().clone()).ToList();
        using var optimizer = new FlatAdamW(parameters, Beta1, Beta2, Epsilon, WeightDecay);
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True((parameters[i].Parameter - before[i]).abs().max().item<float>() == 0, $"{parameters[i].Name} changed value when it moved");
            Assert.True(parameters[i].Parameter.requires_grad);
        }
        // 15 + 3 + 63 + 9 elements, each slice padded to 16: matrices 16 + 64, vectors 16 + 16.
        Assert.Equal(112, optimizer.ElementCount);
        Assert.Equal(["w1", "w2", "b1", "g2"], optimizer.States.Select(s => s.Name));
    }

    [Fact]
    public void ZeroGrad_AfterAGradientWasCleared_BackwardStillReachesTheOptimizer()
    {
        using var generator = new Generator(14);
        var parameters = MakeParameters(generator, 24);
        using var optimizer = new FlatAdamW(parameters, Beta1, Beta2, Epsilon, 0.0);
        parameters[0].Parameter.grad = null; // what a module's zero_grad(set_to_none) does
        optimizer.ZeroGrad();
        Loss(parameters.Select(p => (Tensor)p.Parameter), 3).backward();
        Assert.True(optimizer.ClipGradNorm(double.MaxValue) > 0);
        using Tensor before = parameters[0].Parameter.detach().clone();
        optimizer.Step(1e-2);
        Assert.True((parameters[0].Parameter - before).abs().max().item<float>() > 0, "the parameter whose gradient was cleared did not move");
    }

    [Fact]
    public void Constructor_MixedDtypes_NamesTheParameter()
    {
        var parameters = new List<(string Name, Parameter Parameter)>
        {
            ("a", new Parameter(zeros(2, 2))),
            ("b", new Parameter(zeros(new long[] { 2 }, dtype: ScalarType.Float64))),
        };
        var error = Assert.Throws<ArgumentException>(() => new FlatAdamW(parameters, Beta1, Beta2, Epsilon, WeightDecay));
        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void AttachReplica_SharesValuesKeepsGradientsApartAndReducesInOrder()
    {
        using var generator = new Generator(31);
        var parameters = MakeParameters(generator, 25);
        var replica = MakeParameters(generator, 26); // other values: replaced by views of the optimised ones
        using var optimizer = new FlatAdamW(parameters, Beta1, Beta2, Epsilon, WeightDecay);
        optimizer.AttachReplica(replica);
        Assert.Equal(1, optimizer.ReplicaCount);
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True(replica[i].Parameter.allclose(parameters[i].Parameter, rtol: 0, atol: 0), $"{replica[i].Name} does not view the optimised values");
        }

        // Backward through the replica alone leaves the optimised gradients at zero until they are reduced.
        Loss(replica.Select(p => (Tensor)p.Parameter), 4).backward();
        Assert.All(parameters, p => Assert.Equal(0f, p.Parameter.grad!.abs().sum().item<float>()));
        Loss(parameters.Select(p => (Tensor)p.Parameter), 4).backward();
        var single = parameters.Select(p => p.Parameter.grad!.clone()).ToList();
        optimizer.ReduceReplicaGradients();
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True(parameters[i].Parameter.grad!.allclose(single[i] * 2, rtol: 0, atol: 1e-6), $"{parameters[i].Name}: gradient is not the sum of both");
        }

        // An update reaches the replica; ZeroGrad clears both.
        optimizer.Step(1e-2);
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True(replica[i].Parameter.allclose(parameters[i].Parameter, rtol: 0, atol: 0), $"{replica[i].Name} missed the update");
        }
        optimizer.ZeroGrad();
        Assert.All(replica, p => Assert.Equal(0f, p.Parameter.grad!.abs().sum().item<float>()));
    }

    [Fact]
    public void AttachReplica_DifferentParameters_RefusedNamingTheParameter()
    {
        using var generator = new Generator(32);
        var parameters = MakeParameters(generator, 27);
        using var optimizer = new FlatAdamW(parameters, Beta1, Beta2, Epsilon, WeightDecay);
        var wrongShape = parameters.Select((p, i) => (p.Name, Parameter: i == 2 ? new Parameter(zeros(7, 8)) : new Parameter(zeros(p.Parameter.shape)))).ToList();
        var error = Assert.Throws<ArgumentException>(() => optimizer.AttachReplica(wrongShape));
        Assert.Contains($"'{parameters[2].Name}'", error.Message);
        Assert.Throws<ArgumentException>(() => optimizer.AttachReplica(parameters.Take(3).ToList()));
        Assert.Equal(0, optimizer.ReplicaCount);
    }

    private static List<(string Name, Parameter Parameter)> MakeParameters(Generator generator, int seed)
    {
        generator.manual_seed(seed);
        string[] names = ["w1", "b1", "w2", "g2"];
        return names.Select((name, i) => (name, new Parameter(randn(Shapes[i], generator: generator)))).ToList();
    }

    // A loss touching every parameter non-linearly, with fixed random weights.
    private static Tensor Loss(IEnumerable<Tensor> parameters, long seed)
    {
        using var generator = new Generator((ulong)seed + 100);
        Tensor total = zeros(1);
        foreach (Tensor p in parameters)
        {
            Tensor weights = randn(p.shape, generator: generator);
            total = total + (p * weights).sin().sum() + p.pow(2).sum() * 0.1;
        }
        return total.sum();
    }
}
