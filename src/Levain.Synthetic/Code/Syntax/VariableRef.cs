namespace Levain.Synthetic.Code.Syntax;

/// <summary>A read of a variable (integer or list).</summary>
public sealed record VariableRef(string Name) : Expr;
