namespace Levain.Synthetic.Instructions;

/// <summary>
/// One generated instruction example in the databricks-dolly-15k shape (<c>instruction</c>, <c>context</c>,
/// <c>response</c>, <c>category</c>), plus <paramref name="Group"/>: the program's hash, so a held-out split by group
/// never puts the same program on both sides, and <paramref name="Choices"/>: how many answers a guess picks among
/// (the variables of an unread-variable question), 0 where chance is not defined.
/// </summary>
public sealed record InstructionExample(
    string Instruction,
    string Context,
    string Response,
    string Category,
    string Group,
    int Seed,
    int Choices);
