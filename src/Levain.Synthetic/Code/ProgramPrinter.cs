using System.Globalization;
using System.Text;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Renders programs as Python 3 source (4-space indentation, minimal parentheses). Every line ends with <c>\n</c>.
/// A program without holes is valid Python and prints exactly what <see cref="Interpreter"/> computes.
/// </summary>
public static class ProgramPrinter
{
    public const string HoleText = "??";

    public static string Print(CodeProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var text = new StringBuilder();
        AppendBlock(text, program.Body, 0);
        return text.ToString();
    }

    public static string Print(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        return Render(expr, 0);
    }

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.FloorDivide => "//",
        BinaryOperator.Modulo => "%",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
    };

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown comparison."),
    };

    private static void AppendBlock(StringBuilder text, IReadOnlyList<Statement> block, int depth)
    {
        if (block.Count == 0)
        {
            Line(text, depth, "pass");
            return;
        }

        foreach (var statement in block)
        {
            AppendStatement(text, statement, depth);
        }
    }

    private static void AppendStatement(StringBuilder text, Statement statement, int depth)
    {
        switch (statement)
        {
            case AssignStatement assign:
                Line(text, depth, $"{assign.Name} = {Render(assign.Value, 0)}");
                break;
            case AppendStatement append:
                Line(text, depth, $"{append.ListName}.append({Render(append.Value, 0)})");
                break;
            case PrintStatement print:
                Line(text, depth, $"print({Render(print.Value, 0)})");
                break;
            case IfStatement branch:
                var condition = branch.Condition;
                Line(text, depth,
                    $"if {Render(condition.Left, 0)} {Symbol(condition.Operator)} {Render(condition.Right, 0)}:");
                AppendBlock(text, branch.Then, depth + 1);
                if (branch.Else.Count > 0)
                {
                    Line(text, depth, "else:");
                    AppendBlock(text, branch.Else, depth + 1);
                }

                break;
            case ForStatement loop:
                Line(text, depth, $"for {loop.Variable} in range({Render(loop.Count, 0)}):");
                AppendBlock(text, loop.Body, depth + 1);
                break;
            default:
                throw new ArgumentException($"Unknown statement type {statement.GetType().Name}.", nameof(statement));
        }
    }

    private static void Line(StringBuilder text, int depth, string content) =>
        text.Append(' ', 4 * depth).Append(content).Append('\n');

    // Binding strength: + - bind at 1, * // % at 2, atoms at 3. All operators are left-associative, so a right
    // operand of equal strength needs parentheses (a - (b - c), a // (b * c)).
    private static string Render(Expr expr, int minimumStrength) => expr switch
    {
        IntLiteral literal => literal.Value < 0 && minimumStrength > 0
            ? $"({literal.Value.ToString(CultureInfo.InvariantCulture)})"
            : literal.Value.ToString(CultureInfo.InvariantCulture),
        VariableRef variable => variable.Name,
        HoleExpr => HoleText,
        LenExpr len => $"len({len.ListName})",
        IndexExpr index => $"{index.ListName}[{Render(index.Index, 0)}]",
        ListLiteral display => "[" + string.Join(", ", display.Items.Select(item => Render(item, 0))) + "]",
        BinaryExpr binary => RenderBinary(binary, minimumStrength),
        _ => throw new ArgumentException($"Unknown expression type {expr.GetType().Name}.", nameof(expr)),
    };

    private static string RenderBinary(BinaryExpr binary, int minimumStrength)
    {
        var strength = Strength(binary.Operator);
        var text = $"{Render(binary.Left, strength)} {Symbol(binary.Operator)} {Render(binary.Right, strength + 1)}";
        return strength < minimumStrength ? $"({text})" : text;
    }

    private static int Strength(BinaryOperator op) =>
        op is BinaryOperator.Add or BinaryOperator.Subtract ? 1 : 2;
}
