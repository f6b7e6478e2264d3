using Levain.Lm.FineTuning.Lora;
using Levain.Lm.Training;

namespace Levain.Lm.FineTuning;

/// <summary>
/// One fine-tuning run: start from the weights of <see cref="InitFrom"/>, train on <see cref="DataFile"/> (Dolly or
/// chat JSONL) for <see cref="Epochs"/> epochs with the loss on response tokens only, hold out
/// <see cref="HeldOutFraction"/> of the groups, and write to <see cref="OutputDirectory"/>. <see cref="Lora"/> null
/// is full fine-tuning (the default); otherwise only the adapters train.
/// </summary>
public sealed record FineTuneSpec
{
    public required string InitFrom { get; init; }

    public required string DataFile { get; init; }

    public string? OutputDirectory { get; init; }

    /// <summary>A built-in template name or a template JSON file; null uses the base's template.json, else "dolly".</summary>
    public string? Template { get; init; }

    /// <summary>Steps = ⌈epochs × training examples / batch⌉ (fractional epochs allowed; the tuner suggests reals).</summary>
    public double Epochs { get; init; } = 2;

    /// <summary>Fine-tuning defaults: lr 1e-3 (small models), batch 16, 10 warmup steps, no weight decay.</summary>
    public static TrainingOptions DefaultTraining { get; } = new() { LearningRate = 1e-3, BatchSize = 16, WarmupSteps = 10, WeightDecay = 0.0, ProgressEvery = 10 };

    public TrainingOptions Training { get; init; } = DefaultTraining;

    public LoraOptions? Lora { get; init; }

    /// <summary>With LoRA: also write the adapters merged into the base as a full checkpoint in <c>OUT/merged</c>.</summary>
    public bool Merge { get; init; }

    public double HeldOutFraction { get; init; } = 0.1;

    /// <summary>Held-out examples answered by greedy generation for exact/normalized match (all are scored for NLL).</summary>
    public int GenerateCount { get; init; } = 64;

    public int MaxNewTokens { get; init; } = 128;

    /// <summary>Also score the base model on the held-out examples before training (the "before" of before/after).</summary>
    public bool EvaluateBefore { get; init; }
}
