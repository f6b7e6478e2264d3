using Levain.Synthetic.Code;

namespace Levain.Synthetic.Instructions;

/// <summary>What the instruction generator draws: programs of <see cref="Program"/> difficulty and the question kinds.</summary>
public sealed record InstructionOptions
{
    /// <summary>Program difficulty (default the starter preset, which the demo's byte-level base model reads in 256 bytes).</summary>
    public GeneratorOptions Program { get; init; } = GeneratorOptions.Starter;

    /// <summary>Question kinds, drawn uniformly per example, so a kind listed twice comes twice as often (a kind a program cannot carry falls back to the next one).</summary>
    public IReadOnlyList<InstructionKind> Kinds { get; init; } =
        [InstructionKind.PrintOutput, InstructionKind.ValueAfterLine, InstructionKind.UnreadVariable, InstructionKind.RewriteDouble];

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Program);
        ArgumentNullException.ThrowIfNull(Kinds);
        if (Kinds.Count == 0)
        {
            throw new ArgumentException("at least one instruction kind is needed", nameof(Kinds));
        }
        Program.Validate();
    }
}
