using System.Text.Json.Serialization;

namespace Levain.Lm.Training;

/// <summary>
/// Where a training run stands after <see cref="Step"/> optimizer steps — everything besides the weights and the AdamW
/// moments that a resumed run needs to continue exactly: tokens and training time so far, the loss trace, the dropout
/// generator's state (base64 of torch's generator state) and the batch source's position (its opaque JSON).
/// </summary>
public sealed record TrainerState(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("steps")] int TotalSteps,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("train_seconds")] double TrainingSeconds,
    [property: JsonPropertyName("loss_trace")] IReadOnlyList<double> LossTrace,
    [property: JsonPropertyName("dropout_rng")] string DropoutGeneratorState,
    [property: JsonPropertyName("batches")] string? BatchSourceState)
{
    public const string CurrentFormat = "levain-trainer/1";
}
