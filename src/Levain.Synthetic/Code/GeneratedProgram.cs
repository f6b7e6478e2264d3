using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>A generated program with everything derived from it.</summary>
/// <param name="Seed">The seed it was generated from.</param>
/// <param name="Program">The syntax tree.</param>
/// <param name="Text">Python source (<see cref="ProgramPrinter"/>), every line ending in <c>\n</c>.</param>
/// <param name="Hash">The <see cref="ProgramHash"/> of <see cref="Text"/>.</param>
/// <param name="Result">The interpreter's (successful) result.</param>
/// <param name="Attempts">Candidates tried before this one passed every check.</param>
public sealed record GeneratedProgram(
    int Seed,
    CodeProgram Program,
    string Text,
    string Hash,
    ExecutionResult Result,
    int Attempts);
