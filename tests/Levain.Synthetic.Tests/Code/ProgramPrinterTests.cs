using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Tests.Code;

public sealed class ProgramPrinterTests
{
    [Fact]
    public void Print_NestedStatements_IndentsWithFourSpaces()
    {
        var program = new CodeProgram(
        [
            new AssignStatement("s", new IntLiteral(0)),
            new ForStatement("i", new IntLiteral(3),
            [
                new IfStatement(
                    new Condition(ComparisonOperator.GreaterOrEqual, new VariableRef("i"), new IntLiteral(1)),
                    [new AssignStatement("s", new BinaryExpr(BinaryOperator.Add, new VariableRef("s"), new VariableRef("i")))],
                    [new PrintStatement(new VariableRef("s"))]),
            ]),
            new PrintStatement(new VariableRef("s")),
        ]);

        Assert.Equal(
            "s = 0\nfor i in range(3):\n    if i >= 1:\n        s = s + i\n    else:\n        print(s)\nprint(s)\n",
            ProgramPrinter.Print(program));
    }

    [Theory]
    [InlineData(BinaryOperator.Subtract, BinaryOperator.Subtract, true, "a - (b - c)")]
    [InlineData(BinaryOperator.Subtract, BinaryOperator.Subtract, false, "a - b - c")]
    [InlineData(BinaryOperator.Multiply, BinaryOperator.Add, false, "(a + b) * c")]
    [InlineData(BinaryOperator.Add, BinaryOperator.Multiply, true, "a + b * c")]
    [InlineData(BinaryOperator.FloorDivide, BinaryOperator.Multiply, true, "a // (b * c)")]
    [InlineData(BinaryOperator.Modulo, BinaryOperator.Modulo, false, "a % b % c")]
    public void Print_BinaryExpressions_UsesMinimalParentheses(BinaryOperator outer, BinaryOperator inner, bool innerOnRight, string expected)
    {
        Expr a = new VariableRef("a"), b = new VariableRef("b"), c = new VariableRef("c");
        var expr = innerOnRight
            ? new BinaryExpr(outer, a, new BinaryExpr(inner, b, c))
            : new BinaryExpr(outer, new BinaryExpr(inner, a, b), c);

        Assert.Equal(expected, ProgramPrinter.Print(expr));
    }

    [Fact]
    public void Print_NegativeLiteralOperand_IsParenthesised()
    {
        var expr = new BinaryExpr(BinaryOperator.FloorDivide, new IntLiteral(-7), new IntLiteral(2));

        Assert.Equal("(-7) // 2", ProgramPrinter.Print(expr));
        Assert.Equal("x = -7\n", ProgramPrinter.Print(new CodeProgram([new AssignStatement("x", new IntLiteral(-7))])));
    }

    [Fact]
    public void Print_ListsAndHole_UsePythonSyntax()
    {
        var program = new CodeProgram(
        [
            new AssignStatement("xs", new ListLiteral([new IntLiteral(1), new HoleExpr()])),
            new AppendStatement("xs", new LenExpr("xs")),
            new PrintStatement(new IndexExpr("xs", new IntLiteral(-1))),
        ]);

        Assert.Equal("xs = [1, ??]\nxs.append(len(xs))\nprint(xs[-1])\n", ProgramPrinter.Print(program));
    }

    [Fact]
    public void Print_ThenParse_RoundTripsGeneratedPrograms()
    {
        foreach (var options in new[] { GeneratorOptions.Easy, GeneratorOptions.Medium, GeneratorOptions.Hard })
        {
            for (var seed = 0; seed < 150; seed++)
            {
                var generated = ProgramGenerator.Generate(options, seed);
                var parsed = ProgramParser.Parse(generated.Text);

                Assert.True(parsed.IsSuccess, $"{options.Name}/{seed}: line {parsed.ErrorLine}: {parsed.Error}");
                Assert.Equal(generated.Text, ProgramPrinter.Print(parsed.Program!));
                Assert.Equal(generated.Result.OutputLines, Interpreter.Run(parsed.Program!).OutputLines);
            }
        }
    }

    [Fact]
    public void Print_GeneratedPrograms_RunUnderPythonWithSameOutput()
    {
        PythonOracle.RequirePython();
        var programs = new[] { GeneratorOptions.Easy, GeneratorOptions.Medium, GeneratorOptions.Hard }
            .SelectMany(options => Enumerable.Range(5_000, 200).Select(seed => ProgramGenerator.Generate(options, seed)))
            .ToList();

        var stdouts = PythonOracle.RunAll(programs.Select(p => p.Text).ToList());

        Assert.Equal(programs.Count, stdouts.Count);
        for (var i = 0; i < programs.Count; i++)
        {
            Assert.True(programs[i].Result.Stdout == stdouts[i],
                $"program:\n{programs[i].Text}\ninterpreter: {programs[i].Result.Stdout}\npython: {stdouts[i]}");
        }
    }

    [Fact]
    public void Print_ProgramTable_RunsUnderPythonWithSameOutput()
    {
        PythonOracle.RequirePython();
        var sources = InterpreterTests.Programs.Select(row => row.Data.Item1).ToList();

        var stdouts = PythonOracle.RunAll(sources);

        for (var i = 0; i < sources.Count; i++)
        {
            Assert.Equal(Interpreter.Run(InterpreterTests.Parse(sources[i])).Stdout, stdouts[i]);
        }
    }
}
