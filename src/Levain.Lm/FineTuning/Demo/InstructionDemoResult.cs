using Levain.Lm.FineTuning.Evaluation;
using Levain.Lm.Runs;

namespace Levain.Lm.FineTuning.Demo;

/// <summary>What the demo measured: the pretraining run, the fine-tuning run (with the base's held-out scores as "before"), and where things are.</summary>
public sealed record InstructionDemoResult(
    TrainRunResult Pretraining,
    FineTuneResult FineTuning,
    string DataFile,
    string BaseDirectory,
    string FineTunedDirectory,
    double Seconds)
{
    public InstructionScore Before => FineTuning.Before!;

    public InstructionScore After => FineTuning.After;
}
