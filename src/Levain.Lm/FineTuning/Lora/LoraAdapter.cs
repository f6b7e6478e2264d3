using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Levain.Lm.FineTuning.Lora;

/// <summary>The low-rank update of one projection: Δy = scale · (x·Aᵀ)·Bᵀ, x (…, in) → Δy (…, out).</summary>
public sealed class LoraAdapter : nn.Module
{
    [ComponentName(Name = "lora_A")]
    private readonly Parameter _a;

    [ComponentName(Name = "lora_B")]
    private readonly Parameter _b;

    public LoraAdapter(long inFeatures, long outFeatures, int rank, double scale, Generator generator) : base("LoraAdapter")
    {
        // A ~ U(−1/√in, 1/√in) (the default Linear initialisation), B = 0: the update starts at zero.
        double bound = 1.0 / Math.Sqrt(inFeatures);
        _a = new Parameter((rand([rank, inFeatures], generator: generator) * 2 - 1) * bound); // (r, in)
        _b = new Parameter(zeros(outFeatures, rank));                                          // (out, r)
        Scale = scale;
        RegisterComponents();
    }

    public double Scale { get; }

    public Parameter A => _a;

    public Parameter B => _b;

    public Tensor Delta(Tensor x) => x.matmul(_a.t()).matmul(_b.t()) * Scale; // (…, in) → (…, r) → (…, out)

    /// <summary>The dense update scale · B·A (out × in) that merging adds to the projection's weight.</summary>
    public Tensor DenseUpdate() => _b.matmul(_a) * Scale;
}
