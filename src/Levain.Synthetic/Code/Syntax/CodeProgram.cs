namespace Levain.Synthetic.Code.Syntax;

/// <summary>A whole program: a list of top-level statements.</summary>
public sealed record CodeProgram(IReadOnlyList<Statement> Body);
