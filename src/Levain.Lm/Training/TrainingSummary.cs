namespace Levain.Lm.Training;

/// <summary>
/// The outcome of a training run. <see cref="Seconds"/> counts training steps only (not evaluation);
/// <see cref="Flops"/> = tokens × <see cref="Model.GptConfig.TrainingFlopsPerToken"/>.
/// </summary>
public sealed record TrainingSummary(
    int Steps,
    long Tokens,
    double Seconds,
    double Flops,
    double FinalLoss,
    IReadOnlyList<double> LossTrace,
    double TokensPerSecond,
    double Mfu);
