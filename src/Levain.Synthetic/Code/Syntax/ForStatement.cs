namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>for variable in range(count):</c> — bounded: the count is evaluated once, before the first trip.</summary>
public sealed record ForStatement(string Variable, Expr Count, IReadOnlyList<Statement> Body) : Statement;
