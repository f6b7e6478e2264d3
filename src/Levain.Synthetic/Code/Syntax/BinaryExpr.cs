namespace Levain.Synthetic.Code.Syntax;

/// <summary>Integer arithmetic on two operands; <c>//</c> and <c>%</c> follow Python's floor semantics.</summary>
public sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right) : Expr;
