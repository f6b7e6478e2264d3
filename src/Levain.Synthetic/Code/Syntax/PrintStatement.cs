namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>print(value)</c>: one line of output (an integer, or a list as Python prints it).</summary>
public sealed record PrintStatement(Expr Value) : Statement;
