namespace Levain.Synthetic.Instructions;

/// <summary>The questions the instruction generator asks about a program; each is one Dolly <c>category</c>.</summary>
public enum InstructionKind
{
    /// <summary>"What does this program print?" — the interpreter's output.</summary>
    PrintOutput,

    /// <summary>"What is the value of v after line k?" — the interpreter's state after the first k lines.</summary>
    ValueAfterLine,

    /// <summary>"Which variable is never read?" — a program with one dead assignment added.</summary>
    UnreadVariable,

    /// <summary>"Rewrite this program so that it prints twice the value" — the program with its print doubled.</summary>
    RewriteDouble,
}
