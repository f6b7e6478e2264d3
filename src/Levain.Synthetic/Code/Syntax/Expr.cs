namespace Levain.Synthetic.Code.Syntax;

/// <summary>An integer- or list-valued expression of the tiny program language.</summary>
public abstract record Expr;
