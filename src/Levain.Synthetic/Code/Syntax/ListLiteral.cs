namespace Levain.Synthetic.Code.Syntax;

/// <summary>A list display such as <c>[3, 1, 4]</c> or <c>[]</c>; evaluates to a fresh list.</summary>
public sealed record ListLiteral(IReadOnlyList<Expr> Items) : Expr;
