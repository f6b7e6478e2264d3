using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Pre-order traversal and rewriting of programs. Statements are visited in source order; within a statement, the
/// condition's left then right operand, then the loop count, then nested blocks; within an expression, the node
/// before its children, left before right. "Site k" always means the k-th node of a kind in this order.
/// </summary>
internal static class SyntaxRewriter
{
    /// <summary>Every expression node, in pre-order.</summary>
    public static List<Expr> Expressions(CodeProgram program)
    {
        var found = new List<Expr>();
        MapExpressions(program, expr =>
        {
            found.Add(expr);
            return null;
        });
        return found;
    }

    /// <summary>Every statement (nested ones included), in pre-order.</summary>
    public static List<Statement> Statements(CodeProgram program)
    {
        var found = new List<Statement>();
        void Walk(IReadOnlyList<Statement> block)
        {
            foreach (var statement in block)
            {
                found.Add(statement);
                switch (statement)
                {
                    case IfStatement branch:
                        Walk(branch.Then);
                        Walk(branch.Else);
                        break;
                    case ForStatement loop:
                        Walk(loop.Body);
                        break;
                }
            }
        }

        Walk(program.Body);
        return found;
    }

    public static List<long> Literals(CodeProgram program) =>
        Expressions(program).OfType<IntLiteral>().Select(literal => literal.Value).ToList();

    /// <summary>The program with the <paramref name="site"/>-th integer literal replaced.</summary>
    public static CodeProgram ReplaceLiteral(CodeProgram program, int site, Expr replacement)
    {
        var index = -1;
        return MapExpressions(program, expr => expr is IntLiteral && ++index == site ? replacement : null);
    }

    /// <summary>The program with the <paramref name="site"/>-th binary operator replaced.</summary>
    public static CodeProgram ReplaceOperator(CodeProgram program, int site, BinaryOperator op)
    {
        var index = -1;
        return MapExpressions(program, expr => expr is BinaryExpr binary && ++index == site
            ? binary with { Operator = op }
            : null);
    }

    /// <summary>The program with the <paramref name="site"/>-th comparison operator replaced.</summary>
    public static CodeProgram ReplaceComparison(CodeProgram program, int site, ComparisonOperator op)
    {
        var index = -1;
        return new CodeProgram(MapBlock(program.Body, _ => null, condition =>
            ++index == site ? condition with { Operator = op } : condition));
    }

    /// <summary>
    /// Rebuilds the program, offering every expression node to <paramref name="map"/> in pre-order; a non-null
    /// answer replaces the node (and its children are not visited).
    /// </summary>
    public static CodeProgram MapExpressions(CodeProgram program, Func<Expr, Expr?> map) =>
        new(MapBlock(program.Body, map, condition => condition));

    private static List<Statement> MapBlock(
        IReadOnlyList<Statement> block, Func<Expr, Expr?> map, Func<Condition, Condition> mapCondition) =>
        block.Select(statement => MapStatement(statement, map, mapCondition)).ToList();

    private static Statement MapStatement(Statement statement, Func<Expr, Expr?> map, Func<Condition, Condition> mapCondition)
    {
        switch (statement)
        {
            case AssignStatement assign:
                return assign with { Value = MapExpr(assign.Value, map) };
            case AppendStatement append:
                return append with { Value = MapExpr(append.Value, map) };
            case PrintStatement print:
                return print with { Value = MapExpr(print.Value, map) };
            case IfStatement branch:
                var condition = mapCondition(branch.Condition);
                var left = MapExpr(condition.Left, map);
                var right = MapExpr(condition.Right, map);
                return new IfStatement(
                    condition with { Left = left, Right = right },
                    MapBlock(branch.Then, map, mapCondition),
                    MapBlock(branch.Else, map, mapCondition));
            case ForStatement loop:
                var count = MapExpr(loop.Count, map);
                return loop with { Count = count, Body = MapBlock(loop.Body, map, mapCondition) };
            default:
                throw new ArgumentException($"Unknown statement type {statement.GetType().Name}.", nameof(statement));
        }
    }

    private static Expr MapExpr(Expr expr, Func<Expr, Expr?> map)
    {
        if (map(expr) is { } replaced)
        {
            return replaced;
        }

        switch (expr)
        {
            case BinaryExpr binary:
                var left = MapExpr(binary.Left, map);
                var right = MapExpr(binary.Right, map);
                return binary with { Left = left, Right = right };
            case IndexExpr index:
                return index with { Index = MapExpr(index.Index, map) };
            case ListLiteral display:
                return new ListLiteral(display.Items.Select(item => MapExpr(item, map)).ToList());
            default:
                return expr;
        }
    }
}
