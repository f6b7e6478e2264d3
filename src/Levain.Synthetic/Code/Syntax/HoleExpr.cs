namespace Levain.Synthetic.Code.Syntax;

/// <summary>The cloze hole <c>??</c>. Printable, never executable: fill it before interpreting.</summary>
public sealed record HoleExpr : Expr;
