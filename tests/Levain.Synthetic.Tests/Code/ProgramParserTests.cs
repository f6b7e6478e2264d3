using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Tests.Code;

public sealed class ProgramParserTests
{
    [Fact]
    public void Parse_Precedence_MatchesPython()
    {
        var parsed = ProgramParser.Parse("x = 2 - -3 * 4 // 5 % 3\n");

        Assert.True(parsed.IsSuccess);
        var assign = Assert.IsType<AssignStatement>(Assert.Single(parsed.Program!.Body));
        // 2 - (((-3 * 4) // 5) % 3)
        Assert.Equal("2 - (-3) * 4 // 5 % 3", ProgramPrinter.Print(assign.Value));
        Assert.Equal(2 - Interpreter.Modulo(Interpreter.FloorDivide(-12, 5), 3), Interpreter.Run(parsed.Program).ValueOf("x")!.Integer);
    }

    [Fact]
    public void Parse_CommentsAndPass_AreAccepted()
    {
        var parsed = ProgramParser.Parse("# a comment\nfor i in range(2):\n    pass\n\nprint(i)\n# Output: 1\n");

        Assert.True(parsed.IsSuccess);
        Assert.Equal(2, parsed.Program!.Body.Count);
    }

    [Theory]
    [InlineData("x = 1\nif x > 0:\nprint(x)\n", 2)]
    [InlineData("x = 1\n    y = 2\n", 2)]
    [InlineData("x = 1\ny = x +\n", 2)]
    [InlineData("x = (1 + 2\n", 1)]
    [InlineData("print(x)\nwhile x:\n", 2)]
    [InlineData("x = 1\nif x:\n    x = 2\n", 2)]
    [InlineData("x = 1 $ 2\n", 1)]
    [InlineData("3 = x\n", 1)]
    public void Parse_BadText_ReportsLine(string text, int line)
    {
        var parsed = ProgramParser.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(line, parsed.ErrorLine);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
    }
}
