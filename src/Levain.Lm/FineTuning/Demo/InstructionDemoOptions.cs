namespace Levain.Lm.FineTuning.Demo;

/// <summary>
/// The instruction-tuning demo's plan: a byte-level base pretrained with <c>levain train</c>'s code task, then
/// fine-tuned on generated instructions about programs. Defaults run in a few minutes on 2 cores.
/// </summary>
public sealed record InstructionDemoOptions
{
    public required string Directory { get; init; }

    public int Threads { get; init; } = 1;

    public int Width { get; init; } = 64;

    public int Depth { get; init; } = 2;

    public int Heads { get; init; } = 4;

    /// <summary>Bytes of context: a dolly-compact example about a starter program fits in 192 (the longest measured: 177).</summary>
    public int Context { get; init; } = 192;

    public int PretrainSteps { get; init; } = 250;

    public double PretrainLearningRate { get; init; } = 3e-3;

    /// <summary>Generated instruction examples (about 10% held out by program).</summary>
    public int Examples { get; init; } = 2000;

    public double Epochs { get; init; } = 2;

    public double FineTuneLearningRate { get; init; } = 1e-3;

    /// <summary>Held-out examples answered by generation, before and after fine-tuning.</summary>
    public int GenerateCount { get; init; } = 120;

    public int Seed { get; init; } = 1;
}
