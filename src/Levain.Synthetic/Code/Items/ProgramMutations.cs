using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code.Items;

/// <summary>
/// The plausible slips a reader makes, as program edits: off-by-one constants (including loop bounds), swapped
/// arithmetic operators and changed comparisons. Distractors are what these mutants compute.
/// </summary>
internal static class ProgramMutations
{
    public static List<CodeProgram> All(CodeProgram program)
    {
        var mutants = new List<CodeProgram>();
        var literals = SyntaxRewriter.Literals(program);
        for (var site = 0; site < literals.Count; site++)
        {
            mutants.Add(SyntaxRewriter.ReplaceLiteral(program, site, new IntLiteral(literals[site] + 1)));
            mutants.Add(SyntaxRewriter.ReplaceLiteral(program, site, new IntLiteral(literals[site] - 1)));
        }

        var operators = SyntaxRewriter.Expressions(program).OfType<BinaryExpr>().Select(b => b.Operator).ToList();
        for (var site = 0; site < operators.Count; site++)
        {
            foreach (var swapped in Swaps(operators[site]))
            {
                mutants.Add(SyntaxRewriter.ReplaceOperator(program, site, swapped));
            }
        }

        var comparisons = SyntaxRewriter.Statements(program).OfType<IfStatement>().Select(b => b.Condition.Operator).ToList();
        for (var site = 0; site < comparisons.Count; site++)
        {
            foreach (var swapped in Swaps(comparisons[site]))
            {
                mutants.Add(SyntaxRewriter.ReplaceComparison(program, site, swapped));
            }
        }

        return mutants;
    }

    private static BinaryOperator[] Swaps(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => [BinaryOperator.Subtract, BinaryOperator.Multiply],
        BinaryOperator.Subtract => [BinaryOperator.Add],
        BinaryOperator.Multiply => [BinaryOperator.Add],
        BinaryOperator.FloorDivide => [BinaryOperator.Modulo],
        BinaryOperator.Modulo => [BinaryOperator.FloorDivide],
        _ => [],
    };

    private static ComparisonOperator[] Swaps(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => [ComparisonOperator.LessOrEqual, ComparisonOperator.Greater],
        ComparisonOperator.LessOrEqual => [ComparisonOperator.Less, ComparisonOperator.GreaterOrEqual],
        ComparisonOperator.Greater => [ComparisonOperator.GreaterOrEqual, ComparisonOperator.Less],
        ComparisonOperator.GreaterOrEqual => [ComparisonOperator.Greater, ComparisonOperator.LessOrEqual],
        ComparisonOperator.Equal => [ComparisonOperator.NotEqual],
        ComparisonOperator.NotEqual => [ComparisonOperator.Equal],
        _ => [],
    };
}
