namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>len(name)</c> of a list variable.</summary>
public sealed record LenExpr(string ListName) : Expr;
