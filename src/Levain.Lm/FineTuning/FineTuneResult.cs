using Levain.Lm.FineTuning.Evaluation;
using Levain.Lm.Training;

namespace Levain.Lm.FineTuning;

/// <summary>
/// The outcome of a fine-tuning run: held-out scores after (and before, when asked) training, the training summary,
/// and what was read: examples used, held out, and dropped for not fitting the base's context.
/// </summary>
public sealed record FineTuneResult(
    InstructionScore After,
    InstructionScore? Before,
    TrainingSummary Training,
    int TrainExamples,
    int HeldOutExamples,
    int DroppedExamples,
    long TrainableParameters,
    double Seconds,
    string TemplateName,
    string? OutputDirectory);
