namespace Levain.Lm.Runs;

/// <summary>
/// The outcome of a run, in the Levain trial protocol's terms. <see cref="Seconds"/> is the wall time of the whole run
/// (data, model, training, evaluation, checkpoint) — the cost a tuner pays; <see cref="TrainSeconds"/> counts training
/// steps only. <see cref="NllCorrect"/> and <see cref="Accuracy"/> are set for the code task, <see cref="ValidationLoss"/>
/// for a text file.
/// </summary>
public sealed record TrainRunResult(
    double? NllCorrect,
    double? Accuracy,
    double? ChanceNll,
    int EvalItems,
    double? ValidationLoss,
    double FinalLoss,
    long Tokens,
    double Seconds,
    double TrainSeconds,
    double Flops,
    long Parameters,
    double TokensPerSecond,
    double Mfu,
    int Width,
    string TokenizerId,
    string? CheckpointDirectory)
{
    /// <summary>Validation loss per source of a data manifest (<c>levain train --data MANIFEST</c>), on a fixed sample.</summary>
    public IReadOnlyDictionary<string, double>? SourceLosses { get; init; }
}
