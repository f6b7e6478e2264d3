using System.Text.Json.Serialization;

namespace Levain.Lm.Training;

/// <summary>
/// How to train: AdamW with weight decay on matrices only, linear warmup then cosine decay to
/// <see cref="MinLearningRateRatio"/>·lr, gradient clipping, packed batches of <see cref="BatchSize"/> rows.
/// </summary>
public sealed record TrainingOptions
{
    [JsonPropertyName("steps")] public int Steps { get; init; } = 200;

    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;

    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;

    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; } = 20;

    [JsonPropertyName("min_lr_ratio")] public double MinLearningRateRatio { get; init; } = 0.1;

    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.1;

    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;

    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.95;

    /// <summary>Clip the global gradient norm to this value; 0 disables clipping.</summary>
    [JsonPropertyName("grad_clip")] public double GradClip { get; init; } = 1.0;

    [JsonPropertyName("seed")] public long Seed { get; init; } = 1;

    [JsonPropertyName("threads")] public int Threads { get; init; } = 1;

    /// <summary>fp32 peak FLOP/s of one core (torch thread); MFU is measured against it times <see cref="Threads"/> (default ~75 GFLOP/s, measured here).</summary>
    [JsonPropertyName("peak_flops")] public double PeakFlopsPerSecond { get; init; } = 75e9;

    /// <summary>Report progress every this many steps (the first and last steps are always reported).</summary>
    [JsonPropertyName("progress_every")] public int ProgressEvery { get; init; } = 10;

    /// <summary>Run the evaluation callback every this many steps; 0 means only after the last step.</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; }

    /// <summary>Micro-batches of <see cref="BatchSize"/> rows whose gradients are summed before each optimizer step (1 = none).</summary>
    [JsonPropertyName("grad_accum")] public int GradientAccumulation { get; init; } = 1;

    /// <summary>Dropout probability on the embeddings and residual branches while training (0 = none).</summary>
    [JsonPropertyName("dropout")] public double Dropout { get; init; }

    /// <summary>Call the checkpoint callback every this many steps (and after the last); 0 means only after the last step.</summary>
    [JsonPropertyName("checkpoint_every")] public int CheckpointEvery { get; init; }

    /// <summary>Prepare the next batches on a background thread while the current step runs (this many ahead; 0 = inline).</summary>
    [JsonPropertyName("prefetch")] public int Prefetch { get; init; } = 2;

    /// <summary>
    /// With several <see cref="Threads"/> on CPU, cut each batch into one slice per thread and train the slices side by
    /// side on model replicas sharing the weights, one torch thread each (default on; see <c>BatchSplit</c>). Off:
    /// one batch whose every operation is split over the threads by libtorch.
    /// </summary>
    [JsonPropertyName("split_batch")] public bool SplitBatch { get; init; } = true;

    /// <summary>Throws for settings that cannot train (misuse; the CLI validates user input first).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps, nameof(WarmupSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(MinLearningRateRatio, nameof(MinLearningRateRatio));
        ArgumentOutOfRangeException.ThrowIfNegative(WeightDecay, nameof(WeightDecay));
        ArgumentOutOfRangeException.ThrowIfNegative(GradClip, nameof(GradClip));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PeakFlopsPerSecond, nameof(PeakFlopsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressEvery, 1, nameof(ProgressEvery));
        ArgumentOutOfRangeException.ThrowIfNegative(EvalEvery, nameof(EvalEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientAccumulation, 1, nameof(GradientAccumulation));
        ArgumentOutOfRangeException.ThrowIfNegative(Dropout, nameof(Dropout));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(Dropout, 1.0, nameof(Dropout));
        ArgumentOutOfRangeException.ThrowIfNegative(CheckpointEvery, nameof(CheckpointEvery));
        ArgumentOutOfRangeException.ThrowIfNegative(Prefetch, nameof(Prefetch));
    }
}
