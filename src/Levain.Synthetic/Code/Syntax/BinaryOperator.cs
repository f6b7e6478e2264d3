namespace Levain.Synthetic.Code.Syntax;

/// <summary>Arithmetic operators (Python spelling: <c>+ - * // %</c>).</summary>
public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    FloorDivide,
    Modulo,
}
