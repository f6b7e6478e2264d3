namespace Levain.Synthetic.Code.Syntax;

/// <summary>A statement of the tiny program language.</summary>
public abstract record Statement;
