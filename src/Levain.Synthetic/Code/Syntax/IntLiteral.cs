namespace Levain.Synthetic.Code.Syntax;

/// <summary>An integer constant. Every literal is a "site" that mutations and cloze holes can target.</summary>
public sealed record IntLiteral(long Value) : Expr;
