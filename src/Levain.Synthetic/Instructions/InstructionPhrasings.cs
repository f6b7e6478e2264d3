namespace Levain.Synthetic.Instructions;

/// <summary>
/// Several wordings per question kind, so a fine-tuned model learns the task rather than one sentence. <c>{v}</c> and
/// <c>{k}</c> stand for the variable and the line number.
/// </summary>
public static class InstructionPhrasings
{
    public static IReadOnlyList<string> For(InstructionKind kind) => kind switch
    {
        InstructionKind.PrintOutput =>
        [
            "What does this program print?",
            "What is the output of the following Python code?",
            "Run this program in your head and tell me what it prints.",
            "Tell me the output of this code.",
        ],
        InstructionKind.ValueAfterLine =>
        [
            "What is the value of {v} after line {k}?",
            "After line {k} runs, what does {v} hold?",
            "Give the value of {v} once line {k} has executed.",
            "Trace the program: what is {v} right after line {k}?",
        ],
        InstructionKind.UnreadVariable =>
        [
            "Which variable is never read?",
            "One variable in this program is assigned but never used. Which one?",
            "Name the variable whose value is never read.",
            "Find the variable that no statement reads.",
        ],
        InstructionKind.RewriteDouble =>
        [
            "Rewrite this program so that it prints twice the value.",
            "Change the program so that its output is doubled.",
            "Modify the code to print double what it prints now.",
            "Edit this program so that the printed number is multiplied by 2.",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown instruction kind."),
    };

    /// <summary>The Dolly <c>category</c> of a kind.</summary>
    public static string Category(InstructionKind kind) => kind switch
    {
        InstructionKind.PrintOutput => "print_output",
        InstructionKind.ValueAfterLine => "value_after_line",
        InstructionKind.UnreadVariable => "unread_variable",
        InstructionKind.RewriteDouble => "rewrite_double",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown instruction kind."),
    };
}
