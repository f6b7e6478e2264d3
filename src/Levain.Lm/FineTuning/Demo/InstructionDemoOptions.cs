using Levain.Synthetic.Instructions;

namespace Levain.Lm.FineTuning.Demo;

/// <summary>
/// The instruction-tuning demo's plan: a byte-level base pretrained with <c>levain train</c>'s code task, then
/// fine-tuned on generated instructions about programs. Defaults run in a few minutes on 2 cores (about 4 CPU-minutes).
/// </summary>
public sealed record InstructionDemoOptions
{
    public required string Directory { get; init; }

    public int Threads { get; init; } = 1;

    public int Width { get; init; } = 64;

    public int Depth { get; init; } = 2;

    public int Heads { get; init; } = 4;

    /// <summary>Bytes of context: a dolly-eot example about a starter program fits in 192 (the longest measured: 177), so none is dropped.</summary>
    public int Context { get; init; } = 192;

    /// <summary>Pretraining steps of 16 rows: the base must compute the programs' values before any instruction can ask for them
    /// (1,000 steps: 52 % on the code task's 4-way items; 250 steps left every held-out instruction category near 5 %).</summary>
    public int PretrainSteps { get; init; } = 1500;

    public double PretrainLearningRate { get; init; } = 1e-2;

    /// <summary>Generated instruction examples (about 10% held out by program).</summary>
    /// <summary>Generated instruction examples (about 10% held out by program); with 2,000 the model answered its training
    /// programs' unread-variable questions but guessed below chance on held-out ones, so more distinct programs.</summary>
    public int Examples { get; init; } = 4000;

    /// <summary>
    /// Question kinds drawn per example, a kind listed twice twice as often: unread-variable questions (name the one
    /// variable that appears only as an assignment target) get double weight, because with an even draw the fine-tuned
    /// model still answered the printed variable about half the time, i.e. at chance.
    /// </summary>
    public IReadOnlyList<InstructionKind> Kinds { get; init; } =
        [InstructionKind.PrintOutput, InstructionKind.ValueAfterLine, InstructionKind.UnreadVariable, InstructionKind.UnreadVariable, InstructionKind.RewriteDouble];

    public double Epochs { get; init; } = 4;

    public double FineTuneLearningRate { get; init; } = 3e-3;

    /// <summary>Held-out examples answered by generation, before and after fine-tuning (the default: all of them).</summary>
    public int GenerateCount { get; init; } = 1000;

    public int Seed { get; init; } = 1;
}
