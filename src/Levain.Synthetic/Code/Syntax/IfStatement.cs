namespace Levain.Synthetic.Code.Syntax;

/// <summary><c>if condition: ... else: ...</c>; <see cref="Else"/> is empty when there is no else branch.</summary>
public sealed record IfStatement(Condition Condition, IReadOnlyList<Statement> Then, IReadOnlyList<Statement> Else) : Statement;
