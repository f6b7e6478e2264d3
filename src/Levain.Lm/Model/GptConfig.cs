using System.Text.Json.Serialization;

namespace Levain.Lm.Model;

/// <summary>
/// The shape of a GPT (nanoGPT's names in JSON): vocabulary, context length, depth, heads and width, plus the MLP
/// activation: "gelu" (exact, erf; nanoGPT and Levain's default) or "gelu_new" (GPT-2's tanh approximation, which
/// Hugging Face GPT-2 checkpoints use).
/// </summary>
public sealed record GptConfig(
    [property: JsonPropertyName("vocab_size")] int VocabSize,
    [property: JsonPropertyName("block_size")] int BlockSize,
    [property: JsonPropertyName("n_layer")] int Layers,
    [property: JsonPropertyName("n_head")] int Heads,
    [property: JsonPropertyName("n_embd")] int Width,
    [property: JsonPropertyName("activation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Activation = null)
{
    public const string ExactGelu = "gelu";

    public const string TanhGelu = "gelu_new";

    /// <summary>Whether the MLP uses GPT-2's tanh approximation of GELU (else the exact erf form).</summary>
    public bool IsTanhGelu => Activation == TanhGelu;

    public int HeadSize => Width / Heads;

    /// <summary>All parameters; the output projection is tied to the token embedding and counted once.</summary>
    public long ParameterCount
    {
        get
        {
            long c = Width;
            long perLayer = 2 * (2 * c)         // ln_1, ln_2 (weight + bias)
                + (c * 3 * c + 3 * c)           // attn.c_attn
                + (c * c + c)                   // attn.c_proj
                + (c * 4 * c + 4 * c)           // mlp.c_fc
                + (4 * c * c + c);              // mlp.c_proj
            return (long)VocabSize * c + (long)BlockSize * c + Layers * perLayer + 2 * c;
        }
    }

    /// <summary>Parameters without the position embedding: the N of the 6·N FLOPs-per-token estimate.</summary>
    public long NonEmbeddingParameterCount => ParameterCount - (long)BlockSize * Width;

    /// <summary>
    /// Training FLOPs per token (forward + backward): 6·N for the weight matmuls plus 12·L·C·T for the attention
    /// scores and the weighted sum (the PaLM appendix / nanoGPT estimate).
    /// </summary>
    public double TrainingFlopsPerToken(int sequenceLength) => 6.0 * NonEmbeddingParameterCount + 12.0 * Layers * Width * sequenceLength;

    /// <summary>Throws for a shape the model cannot have (misuse); user input is validated before this.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VocabSize, 2, nameof(VocabSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSize, 1, nameof(BlockSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1, nameof(Heads));
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 1, nameof(Width));
        if (Activation is not (null or ExactGelu or TanhGelu))
        {
            throw new ArgumentException($"activation '{Activation}' is not {ExactGelu} or {TanhGelu}");
        }
        if (Width % Heads != 0)
        {
            throw new ArgumentException($"width {Width} is not divisible by the number of heads {Heads}");
        }
    }
}
