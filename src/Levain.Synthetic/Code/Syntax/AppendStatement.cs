namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>name.append(value)</c>.</summary>
public sealed record AppendStatement(string ListName, Expr Value) : Statement;
