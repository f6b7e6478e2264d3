using Levain.Lm.Model;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Model;

public sealed class GptTests
{
    private const double KernelTolerance = 1e-5;

    internal static readonly GptConfig Tiny = new(VocabSize: 257, BlockSize: 16, Layers: 2, Heads: 4, Width: 32);

    [Fact]
    public void Forward_RandomTokens_MatchesNaiveAttentionReference()
    {
        using var generator = new Generator(7);
        using var model = new Gpt(Tiny, generator);
        model.eval();
        using Tensor tokens = randint(0, Tiny.VocabSize, [3, 11], dtype: ScalarType.Int64, generator: generator);
        using var noGrad = no_grad();
        using Tensor fast = model.forward(tokens);
        using Tensor reference = NaiveForward(model, tokens);
        Assert.Equal(new long[] { 3, 11, Tiny.VocabSize }, fast.shape);
        double maxDifference = (fast - reference).abs().max().item<float>();
        Assert.True(maxDifference < KernelTolerance, $"max |fast - reference| = {maxDifference}");
    }

    [Fact]
    public void Forward_FutureTokenChanged_EarlierLogitsUnchanged()
    {
        using var generator = new Generator(3);
        using var model = new Gpt(Tiny, generator);
        model.eval();
        using var noGrad = no_grad();
        using Tensor a = tensor(new long[] { 5, 9, 2, 7, 1 }, [1, 5], ScalarType.Int64);
        using Tensor b = tensor(new long[] { 5, 9, 2, 7, 200 }, [1, 5], ScalarType.Int64);
        using Tensor la = model.forward(a);
        using Tensor lb = model.forward(b);
        Assert.True(la[0, ..4].allclose(lb[0, ..4], rtol: 0, atol: 1e-6));
        Assert.False(la[0, 4].allclose(lb[0, 4], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void NamedParameters_UseNanoGptNames_AndCountMatchesConfig()
    {
        using var generator = new Generator(1);
        using var model = new Gpt(Tiny, generator);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("transformer.wte.weight", names);
        Assert.Contains("transformer.wpe.weight", names);
        Assert.Contains("transformer.h.0.ln_1.weight", names);
        Assert.Contains("transformer.h.1.attn.c_attn.weight", names);
        Assert.Contains("transformer.h.1.attn.c_proj.bias", names);
        Assert.Contains("transformer.h.0.mlp.c_fc.weight", names);
        Assert.Contains("transformer.h.0.mlp.c_proj.weight", names);
        Assert.Contains("transformer.ln_f.bias", names);
        Assert.Equal(Tiny.ParameterCount, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Forward_LongerThanBlockSize_Throws()
    {
        using var generator = new Generator(1);
        using var model = new Gpt(Tiny, generator);
        using Tensor tokens = zeros([1, Tiny.BlockSize + 1], ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => model.forward(tokens));
    }

    [Fact]
    public void Constructor_SameSeed_SameWeights()
    {
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var m1 = new Gpt(Tiny, g1);
        using var m2 = new Gpt(Tiny, g2);
        foreach (var ((_, p1), (_, p2)) in m1.named_parameters().Zip(m2.named_parameters()))
        {
            Assert.True(p1.allclose(p2, rtol: 0, atol: 0));
        }
    }

    /// <summary>The same network from the model's parameters with plain matmul, an explicit causal mask and softmax.</summary>
    internal static Tensor NaiveForward(Gpt model, Tensor tokens)
    {
        var p = model.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        GptConfig c = model.Config;
        long b = tokens.shape[0], t = tokens.shape[1];
        int hs = c.Width / c.Heads;
        Tensor x = p["transformer.wte.weight"][tokens] + p["transformer.wpe.weight"][arange(t)];
        Tensor mask = ones(t, t).tril().eq(0);
        for (int layer = 0; layer < c.Layers; layer++)
        {
            string h = $"transformer.h.{layer}.";
            Tensor a = LayerNorm(x, p[h + "ln_1.weight"], p[h + "ln_1.bias"]);
            Tensor qkv = a.matmul(p[h + "attn.c_attn.weight"].t()) + p[h + "attn.c_attn.bias"];
            Tensor q = qkv[.., .., ..c.Width].reshape(b, t, c.Heads, hs).permute(0, 2, 1, 3);
            Tensor k = qkv[.., .., c.Width..(2 * c.Width)].reshape(b, t, c.Heads, hs).permute(0, 2, 1, 3);
            Tensor v = qkv[.., .., (2 * c.Width)..].reshape(b, t, c.Heads, hs).permute(0, 2, 1, 3);
            Tensor scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(hs);
            scores = scores.masked_fill(mask, double.NegativeInfinity);
            Tensor weights = scores.exp() / scores.exp().sum(-1, keepdim: true);
            Tensor y = weights.matmul(v).permute(0, 2, 1, 3).reshape(b, t, c.Width);
            x = x + y.matmul(p[h + "attn.c_proj.weight"].t()) + p[h + "attn.c_proj.bias"];
            Tensor m = LayerNorm(x, p[h + "ln_2.weight"], p[h + "ln_2.bias"]);
            Tensor hidden = m.matmul(p[h + "mlp.c_fc.weight"].t()) + p[h + "mlp.c_fc.bias"];
            hidden = 0.5 * hidden * (1 + (hidden / Math.Sqrt(2)).erf()); // exact GELU
            x = x + hidden.matmul(p[h + "mlp.c_proj.weight"].t()) + p[h + "mlp.c_proj.bias"];
        }
        x = LayerNorm(x, p["transformer.ln_f.weight"], p["transformer.ln_f.bias"]);
        return x.matmul(p["transformer.wte.weight"].t());
    }

    private static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias)
    {
        Tensor mean = x.mean([-1], keepdim: true);
        Tensor variance = (x - mean).pow(2).mean([-1], keepdim: true);
        return (x - mean) / (variance + 1e-5).sqrt() * weight + bias;
    }
}
