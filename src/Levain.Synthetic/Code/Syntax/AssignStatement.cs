namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>name = value</c>.</summary>
public sealed record AssignStatement(string Name, Expr Value) : Statement;
