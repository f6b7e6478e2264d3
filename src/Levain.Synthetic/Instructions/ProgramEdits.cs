using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Instructions;

/// <summary>The program transformations behind the instruction kinds; every answer is checked by the interpreter.</summary>
internal static class ProgramEdits
{
    private static readonly string[] SpareNames = ["a", "b", "c", "d", "n", "m", "s", "t", "x", "y", "z", "p", "q", "r", "u", "w"];

    /// <summary>The first <paramref name="count"/> top-level statements.</summary>
    public static CodeProgram Prefix(CodeProgram program, int count) => new(program.Body.Take(count).ToArray());

    /// <summary>Variables a statement reads (names in expressions, conditions, loop counts; a list an append extends).</summary>
    public static HashSet<string> ReadNames(CodeProgram program)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expr in SyntaxRewriter.Expressions(program))
        {
            switch (expr)
            {
                case VariableRef variable: read.Add(variable.Name); break;
                case LenExpr len: read.Add(len.ListName); break;
                case IndexExpr index: read.Add(index.ListName); break;
            }
        }
        foreach (var append in SyntaxRewriter.Statements(program).OfType<AppendStatement>())
        {
            read.Add(append.ListName);
        }
        return read;
    }

    /// <summary>Names assigned by <c>=</c> (loop variables excluded), in order of first assignment.</summary>
    public static List<string> AssignedNames(CodeProgram program) =>
        SyntaxRewriter.Statements(program).OfType<AssignStatement>().Select(a => a.Name).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Every name the program mentions (assigned, read or a loop variable).</summary>
    public static HashSet<string> UsedNames(CodeProgram program)
    {
        var used = ReadNames(program);
        used.UnionWith(AssignedNames(program));
        used.UnionWith(SyntaxRewriter.Statements(program).OfType<ForStatement>().Select(loop => loop.Variable));
        return used;
    }

    /// <summary>Assigned variables no statement reads.</summary>
    public static List<string> NeverRead(CodeProgram program)
    {
        var read = ReadNames(program);
        return AssignedNames(program).Where(name => !read.Contains(name)).ToList();
    }

    /// <summary>The program with <c>name = literal</c> inserted at top-level <paramref name="position"/>, where name is unused.</summary>
    public static (CodeProgram Program, string Name)? InsertUnreadAssignment(CodeProgram program, SplitMix64 random, long maxLiteral)
    {
        var used = UsedNames(program);
        var free = SpareNames.Where(n => !used.Contains(n)).ToArray();
        if (free.Length == 0)
        {
            return null;
        }
        string name = random.Pick(free);
        int position = random.Next(program.Body.Count + 1);
        var body = program.Body.ToList();
        body.Insert(position, new AssignStatement(name, new IntLiteral(random.Next((int)Math.Max(1, maxLiteral) + 1))));
        return (new CodeProgram(body), name);
    }

    /// <summary>Every <c>print(e)</c> becomes <c>print(e * 2)</c>; null when a print shows a list.</summary>
    public static CodeProgram? DoublePrints(CodeProgram program)
    {
        bool hasList = false;
        IReadOnlyList<Statement> Block(IReadOnlyList<Statement> block) => block.Select(Statement).ToArray();
        Statement Statement(Statement statement)
        {
            switch (statement)
            {
                case PrintStatement print:
                    hasList |= print.Value is ListLiteral;
                    return new PrintStatement(new BinaryExpr(BinaryOperator.Multiply, print.Value, new IntLiteral(2)));
                case IfStatement branch:
                    return branch with { Then = Block(branch.Then), Else = Block(branch.Else) };
                case ForStatement loop:
                    return loop with { Body = Block(loop.Body) };
                default:
                    return statement;
            }
        }
        var doubled = new CodeProgram(Block(program.Body));
        return hasList ? null : doubled;
    }
}
