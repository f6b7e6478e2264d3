namespace Levain.Synthetic.Code.Syntax;

/// <summary>A comparison of two integer expressions, used by <see cref="IfStatement"/>.</summary>
public sealed record Condition(ComparisonOperator Operator, Expr Left, Expr Right);
