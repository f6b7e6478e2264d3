using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Levain.Lm.Model;

// A decoder-only transformer in the GPT-2 layout, written to be read top to bottom.
//
//   tokens (B, T) ──wte──► (B, T, C) ──+ wpe──► [Block × n_layer] ──ln_f──► (B, T, C) ──wteᵀ──► logits (B, T, V)
//   Block:  x = x + drop(attn(ln_1(x)));  x = x + drop(mlp(ln_2(x)))   (pre-LayerNorm, residual stream of width C)
//
// Dropout (training only, probability Dropout) follows nanoGPT's embedding and residual dropouts; masks come from the
// model's own DropoutGenerator so a checkpoint can save and restore them. Attention-probability dropout is not applied
// (the fused attention kernel would draw from the global generator).
//
// Notation: B batch, T sequence length (≤ block_size), C width (n_embd), nh heads, hs = C / nh head size,
// V vocabulary. Submodule and tensor names match nanoGPT (transformer.h.0.attn.c_attn.weight, …) so a checkpoint
// reads the same in both worlds; the output projection is tied to transformer.wte and not stored twice.

/// <summary>The GPT language model: token ids (B, T) → next-token logits (B, T, V).</summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "transformer")]
    private readonly GptTransformer _transformer;

    private readonly ResidualDropout _dropout = new();

    public Gpt(GptConfig config, Generator generator) : base("GPT")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(generator);
        config.Validate();
        Config = config;
        _transformer = new GptTransformer(config, _dropout);
        RegisterComponents();
        InitializeWeights(generator);
    }

    public GptConfig Config { get; }

    /// <summary>Dropout probability in training mode (0 = none); needs <see cref="DropoutGenerator"/> when above 0.</summary>
    public double Dropout
    {
        get => _dropout.Probability;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, 1.0);
            _dropout.Probability = value;
        }
    }

    /// <summary>The generator dropout masks are drawn from (owned by the caller, e.g. the trainer).</summary>
    public Generator? DropoutGenerator
    {
        get => _dropout.Generator;
        set => _dropout.Generator = value;
    }

    /// <summary>The device the weights live on.</summary>
    public Device Device => _transformer.TokenEmbeddingWeight.device;

    public override Tensor forward(Tensor tokens)
    {
        long t = tokens.shape[1];
        if (t > Config.BlockSize)
        {
            throw new ArgumentException($"sequence length {t} exceeds the block size {Config.BlockSize}", nameof(tokens));
        }
        using var scope = NewDisposeScope();
        _dropout.IsActive = training && _dropout.Probability > 0;
        Tensor x = _dropout.Apply(_transformer.Embed(tokens));  // (B, T, C)
        x = _transformer.Blocks(x);                              // (B, T, C)
        x = _transformer.FinalNorm(x);                           // (B, T, C)
        Tensor logits = F.linear(x, _transformer.TokenEmbeddingWeight); // (B, T, V), weights tied to wte
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Mean cross-entropy of next-token prediction: logits (B, T, V) against targets (B, T).</summary>
    public static Tensor Loss(Tensor logits, Tensor targets)
    {
        long v = logits.shape[^1];
        return F.cross_entropy(logits.view(-1, v), targets.view(-1));
    }

    // GPT-2 initialisation: N(0, 0.02) for embeddings and matrices, zero biases, and the projections that write into
    // the residual stream scaled by 1/√(2·n_layer) so its variance does not grow with depth. Tensor.normal_ is used
    // because TorchSharp 0.107's nn.init.normal_ ignores its generator argument.
    private void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else if (name.Contains(".ln_", StringComparison.Ordinal))
            {
                parameter.fill_(1.0);
            }
            else if (name.EndsWith("c_proj.weight", StringComparison.Ordinal))
            {
                parameter.normal_(0.0, residualStd, generator);
            }
            else
            {
                parameter.normal_(0.0, 0.02, generator);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _transformer.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>nanoGPT's <c>transformer</c> dict: embeddings, the stack of blocks and the final LayerNorm.</summary>
internal sealed class GptTransformer : nn.Module
{
    [ComponentName(Name = "wte")]
    private readonly Embedding _tokenEmbedding;

    [ComponentName(Name = "wpe")]
    private readonly Embedding _positionEmbedding;

    [ComponentName(Name = "h")]
    private readonly ModuleList<GptBlock> _blocks;

    [ComponentName(Name = "ln_f")]
    private readonly LayerNorm _finalNorm;

    public GptTransformer(GptConfig config, ResidualDropout dropout) : base("transformer")
    {
        _tokenEmbedding = nn.Embedding(config.VocabSize, config.Width);
        _positionEmbedding = nn.Embedding(config.BlockSize, config.Width);
        _blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new GptBlock(config, dropout)).ToArray());
        _finalNorm = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    public Tensor TokenEmbeddingWeight => _tokenEmbedding.weight!;

    public Tensor Embed(Tensor tokens)
    {
        long t = tokens.shape[1];
        using Tensor positions = arange(t, dtype: ScalarType.Int64, device: tokens.device); // (T)
        return _tokenEmbedding.forward(tokens).add(_positionEmbedding.forward(positions), ResidualScalars.One); // (B, T, C) + (T, C)
    }

    public Tensor Blocks(Tensor x)
    {
        foreach (GptBlock block in _blocks)
        {
            x = block.forward(x); // (B, T, C)
        }
        return x;
    }

    public Tensor FinalNorm(Tensor x) => _finalNorm.forward(x);
}

/// <summary>One pre-LayerNorm transformer block.</summary>
internal sealed class GptBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "ln_1")]
    private readonly LayerNorm _attentionNorm;

    [ComponentName(Name = "attn")]
    private readonly CausalSelfAttention _attention;

    [ComponentName(Name = "ln_2")]
    private readonly LayerNorm _mlpNorm;

    [ComponentName(Name = "mlp")]
    private readonly GptMlp _mlp;

    private readonly ResidualDropout _dropout;

    public GptBlock(GptConfig config, ResidualDropout dropout) : base("Block")
    {
        _dropout = dropout;
        _attentionNorm = nn.LayerNorm(config.Width);
        _attention = new CausalSelfAttention(config);
        _mlpNorm = nn.LayerNorm(config.Width);
        _mlp = new GptMlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x.add(_dropout.Apply(_attention.forward(_attentionNorm.forward(x))), ResidualScalars.One); // (B, T, C)
        return x.add(_dropout.Apply(_mlp.forward(_mlpNorm.forward(x))), ResidualScalars.One);         // (B, T, C)
    }
}

/// <summary>Multi-head causal self-attention through the fused scaled-dot-product kernel.</summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly int _heads;

    [ComponentName(Name = "c_attn")]
    private readonly Linear _queryKeyValue;

    [ComponentName(Name = "c_proj")]
    private readonly Linear _outputProjection;

    public CausalSelfAttention(GptConfig config) : base("CausalSelfAttention")
    {
        _heads = config.Heads;
        _queryKeyValue = nn.Linear(config.Width, 3 * config.Width);
        _outputProjection = nn.Linear(config.Width, config.Width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        long hs = c / _heads;
        // Linear layers run through call(), not forward(), so forward hooks (LoRA adapters) apply.
        Tensor[] qkv = _queryKeyValue.call(x).split(c, dim: 2);       // 3 × (B, T, C)
        Tensor q = qkv[0].view(b, t, _heads, hs).transpose(1, 2);     // (B, nh, T, hs)
        Tensor k = qkv[1].view(b, t, _heads, hs).transpose(1, 2);     // (B, nh, T, hs)
        Tensor v = qkv[2].view(b, t, _heads, hs).transpose(1, 2);     // (B, nh, T, hs)
        // softmax(q·kᵀ/√hs + causal mask)·v; TorchSharp spells the flag "is_casual".
        Tensor y = F.scaled_dot_product_attention(q, k, v, is_casual: true); // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, c);            // (B, T, C)
        return _outputProjection.call(y);                             // (B, T, C)
    }
}

/// <summary>The position-wise feed-forward network: C → 4C → GELU → C.</summary>
internal sealed class GptMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "c_fc")]
    private readonly Linear _expand;

    [ComponentName(Name = "c_proj")]
    private readonly Linear _project;

    private readonly bool _isTanhGelu;

    public GptMlp(GptConfig config) : base("MLP")
    {
        _expand = nn.Linear(config.Width, 4 * config.Width);
        _project = nn.Linear(4 * config.Width, config.Width);
        _isTanhGelu = config.IsTanhGelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        Tensor h = _expand.call(x);                                // (B, T, 4C); call() runs hooks (LoRA)
        // GPT-2's tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) is libtorch's fused gelu(approximate=tanh).
        h = _isTanhGelu ? F.gelu(h, GELU.Approximate.tanh, inplace: false) : F.gelu(h); // (B, T, 4C)
        return _project.call(h);                                   // (B, T, C)
    }
}

/// <summary>
/// Scalars the forward pass hands libtorch, held for the life of the process. TorchSharp's <c>a + b</c> creates a
/// temporary alpha Scalar and passes libtorch only its handle; if a garbage collection finalizes it during the call,
/// libtorch reads freed memory (seen as "Expected false to be true" from <c>Scalar::toFloat</c>). Training runs in a
/// no-GC region, but evaluation, generation and serving do not.
/// </summary>
internal static class ResidualScalars
{
    public static readonly Scalar One = 1.ToScalar();
}

/// <summary>
/// Inverted dropout shared by the embedding and every block: zeroes each value with probability p and scales the rest
/// by 1/(1-p), drawing masks from <see cref="Generator"/>. Inactive outside training or at p = 0.
/// </summary>
internal sealed class ResidualDropout
{
    public double Probability { get; set; }

    public Generator? Generator { get; set; }

    public bool IsActive { get; set; }

    public Tensor Apply(Tensor x)
    {
        if (!IsActive)
        {
            return x;
        }
        Generator generator = Generator ?? throw new InvalidOperationException("dropout needs a DropoutGenerator");
        double keep = 1.0 - Probability;
        using Tensor mask = empty_like(x).bernoulli_(keep, generator); // (same shape as x), 1 with probability keep
        using Scalar scale = (1.0 / keep).ToScalar();
        return x.mul(mask.mul_(scale));
    }
}
