using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>The outcome of <see cref="ProgramParser.Parse"/>: a program, or an error naming the 1-based line.</summary>
public sealed record ParseResult(CodeProgram? Program, int ErrorLine, string? Error)
{
    public bool IsSuccess => Program is not null;

    internal static ParseResult Failure(int line, string error) => new(null, line, error);
}
