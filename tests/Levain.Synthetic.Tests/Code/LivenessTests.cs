using Levain.Synthetic.Code;

namespace Levain.Synthetic.Tests.Code;

public sealed class LivenessTests
{
    [Theory]
    [InlineData("x = 1\nprint(x)\n", false)]
    [InlineData("x = 1\ny = 2\nprint(x)\n", true)]
    [InlineData("y = 8\ny = 9\nprint(y)\n", true)]
    [InlineData("y = 8\ny = y + 9\nprint(y)\n", false)]
    [InlineData("x = 1\nprint(x)\nx = x + 1\n", true)]
    [InlineData("s = 9\nd = s\nfor i in range(2):\n    d = d + i\nprint(s)\n", true)]
    [InlineData("s = 0\nfor i in range(3):\n    s = s + i\nprint(s)\n", false)]
    [InlineData("b = 13\nfor i in range(2):\n    b = 11\nprint(b)\n", true)]
    [InlineData("b = 13\nfor i in range(n):\n    b = 11\nprint(b)\n", false)]
    [InlineData("b = 13\nif b > 3:\n    b = 11\nprint(b)\n", false)]
    [InlineData("b = 1\nif b > 3:\n    c = 11\nprint(b)\n", true)]
    [InlineData("xs = []\nxs.append(3)\nprint(len(xs))\n", false)]
    [InlineData("xs = []\nxs.append(3)\nprint(1)\n", true)]
    [InlineData("a = 2\nfor i in range(3):\n    a = a * 2\n    b = a\nprint(a)\n", true)]
    public void HasDeadStatement_Programs_FlagsStatementsThatCannotReachAPrint(string source, bool expected)
    {
        Assert.Equal(expected, Liveness.HasDeadStatement(InterpreterTests.Parse(source)));
    }
}
