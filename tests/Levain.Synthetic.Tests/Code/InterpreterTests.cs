using CsCheck;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Tests.Code;

public sealed class InterpreterTests
{
    // Expected outputs are what CPython 3 prints for the same text (checked by hand and, for generated programs,
    // by ProgramPrinterTests against /usr/bin/python3). "\n" separates printed lines.
    public static TheoryData<string, string> Programs => new()
    {
        { "x = 7\nprint(x)\n", "7" },
        { "a = 3\nb = a * 4 + 2\nprint(b)\n", "14" },
        { "print(2 + 3 * 4)\n", "14" },
        { "print((2 + 3) * 4)\n", "20" },
        { "print(10 - 4 - 3)\n", "3" },
        { "print(10 - (4 - 3))\n", "9" },
        { "print(7 // 2)\nprint(7 % 2)\n", "3\n1" },
        { "print(-7 // 2)\nprint(-7 % 2)\n", "-4\n1" },
        { "print(7 // -2)\nprint(7 % -2)\n", "-4\n-1" },
        { "print(-7 // -2)\nprint(-7 % -2)\n", "3\n-1" },
        { "print(-6 // 3)\nprint(-6 % 3)\n", "-2\n0" },
        { "x = 0 - 9\nprint(x // 4)\nprint(x % 4)\n", "-3\n3" },
        { "print(100 // 7 * 7 + 100 % 7)\n", "100" },
        { "s = 0\nfor i in range(5):\n    s = s + i\nprint(s)\n", "10" },
        { "for i in range(3):\n    print(i * i)\n", "0\n1\n4" },
        { "s = 0\nfor i in range(3):\n    for j in range(4):\n        s = s + i * j\nprint(s)\n", "18" },
        { "n = 0\nfor i in range(3):\n    for j in range(i):\n        n = n + 1\nprint(n)\n", "3" },
        { "x = 5\nif x > 3:\n    print(1)\nelse:\n    print(2)\n", "1" },
        { "x = 3\nif x > 3:\n    print(1)\nelse:\n    print(2)\n", "2" },
        { "x = 4\nif x != 4:\n    x = 0\nprint(x)\n", "4" },
        { "x = 2\nif x <= 2:\n    if x >= 2:\n        x = x * 10\nprint(x)\n", "20" },
        { "xs = []\nxs.append(3)\nxs.append(5)\nprint(xs)\nprint(len(xs))\n", "[3, 5]\n2" },
        { "xs = [4, 8, 15]\nprint(xs[0] + xs[2])\nprint(xs[-1])\n", "19\n15" },
        { "xs = []\nprint(xs)\n", "[]" },
        { "xs = [1]\nfor i in range(3):\n    xs.append(xs[i] * 2)\nprint(xs)\n", "[1, 2, 4, 8]" },
        { "xs = [2, 0 - 3]\nys = xs\nys.append(9)\nprint(xs)\n", "[2, -3, 9]" },
        { "for i in range(4):\n    if i % 2 == 0:\n        print(i)\n", "0\n2" },
        { "t = 1\nfor i in range(4):\n    t = t * 3 % 5\nprint(t)\n", "1" },
        { "for i in range(3):\n    pass\nprint(i)\n", "2" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void Run_ProgramTable_PrintsExactOutput(string source, string expected)
    {
        var result = Interpreter.Run(Parse(source));

        Assert.True(result.IsSuccess, result.Error.ToString());
        Assert.Equal(expected, result.OutputText);
        Assert.Equal(expected + "\n", result.Stdout);
    }

    [Fact]
    public void Run_Program_ReportsFinalVariablesInAssignmentOrder()
    {
        var result = Interpreter.Run(Parse("b = 2\na = b + 1\nxs = [a]\nxs.append(b)\nfor i in range(2):\n    b = b * 5\n"));

        Assert.Equal(["b", "a", "xs", "i"], result.FinalVariables.Select(pair => pair.Key));
        Assert.Equal(RuntimeValue.OfInteger(50), result.ValueOf("b"));
        Assert.Equal("[3, 2]", result.ValueOf("xs")!.ToPythonText());
        Assert.Equal(1, result.ValueOf("i")!.Integer);
        Assert.Null(result.ValueOf("zz"));
    }

    [Fact]
    public void Run_ListSnapshot_DoesNotChangeWithLaterAppends()
    {
        var result = Interpreter.Run(Parse("xs = [1]\nxs.append(2)\n"));

        Assert.Equal([1L, 2L], result.ValueOf("xs")!.Items!);
    }

    [Theory]
    [InlineData("x = 1 // 0\n", ExecutionError.DivisionByZero)]
    [InlineData("x = 5 % 0\n", ExecutionError.DivisionByZero)]
    [InlineData("xs = [1, 2]\nprint(xs[2])\n", ExecutionError.IndexOutOfRange)]
    [InlineData("xs = [1, 2]\nprint(xs[-3])\n", ExecutionError.IndexOutOfRange)]
    [InlineData("print(y)\n", ExecutionError.UndefinedVariable)]
    [InlineData("for i in range(0):\n    pass\nprint(i)\n", ExecutionError.UndefinedVariable)]
    [InlineData("x = 3\nx.append(1)\n", ExecutionError.TypeMismatch)]
    [InlineData("xs = []\nprint(xs + 1)\n", ExecutionError.TypeMismatch)]
    [InlineData("x = 1000000\nprint(x * x * x)\n", ExecutionError.ValueOutOfRange)]
    [InlineData("for i in range(1000):\n    for j in range(1000):\n        x = i\n", ExecutionError.StepLimitExceeded)]
    public void Run_FailingProgram_ReturnsErrorWithOutputSoFar(string source, ExecutionError expected)
    {
        var result = Interpreter.Run(Parse("print(1)\n" + source));

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Error);
        Assert.Equal(["1"], result.OutputLines);
    }

    [Fact]
    public void Run_ProgramWithHole_Throws()
    {
        Assert.Throws<ArgumentException>(() => Interpreter.Run(Parse("x = ??\nprint(x)\n")));
    }

    [Fact]
    public void FloorDivideAndModulo_AgreeWithMathematicalFloor()
    {
        Gen.Select(Gen.Long[-10_000, 10_000], Gen.Long[1, 100], Gen.Bool).Sample((a, magnitude, negative) =>
        {
            var b = negative ? -magnitude : magnitude;
            var expectedQuotient = (long)Math.Floor((decimal)a / b);
            Assert.Equal(expectedQuotient, Interpreter.FloorDivide(a, b));
            Assert.Equal(a - (b * expectedQuotient), Interpreter.Modulo(a, b));
            var remainder = Interpreter.Modulo(a, b);
            Assert.True(remainder == 0 || Math.Sign(remainder) == Math.Sign(b));
        }, iter: 2_000);
    }

    internal static CodeProgram Parse(string source)
    {
        var parsed = ProgramParser.Parse(source);
        Assert.True(parsed.IsSuccess, $"line {parsed.ErrorLine}: {parsed.Error}");
        return parsed.Program!;
    }
}
