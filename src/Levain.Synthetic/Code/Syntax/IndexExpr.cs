namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>name[index]</c> of a list variable (Python indexing: negative indices count from the end).</summary>
public sealed record IndexExpr(string ListName, Expr Index) : Expr;
