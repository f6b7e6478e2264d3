using Levain.Core;

namespace Levain.Core.Tests;

public sealed class InputExceptionTests
{
    [Theory]
    [InlineData("items.jsonl", 3, "choices", "expected an array", "items.jsonl:3: choices: expected an array")]
    [InlineData("task.yaml", 0, "metrics", "unknown metric 'x'", "task.yaml: metrics: unknown metric 'x'")]
    [InlineData("hosts.txt", 7, null, "empty host", "hosts.txt:7: empty host")]
    [InlineData(null, 0, "--steps", "must be at least 1", "--steps: must be at least 1")]
    [InlineData(null, 0, null, "bad input", "bad input")]
    public void Message_IsFileLineFieldProblem_LeavingOutWhatIsNotKnown(string? file, int line, string? field, string problem, string expected)
    {
        var e = new InputException(file, line, field, problem);
        Assert.Equal(expected, e.Message);
        Assert.Equal((file, (long)line, field, problem), (e.File, e.Line, e.Field, e.Problem));
    }

    [Fact]
    public void Message_GivenByTheCaller_KeepsTheTypedParts()
    {
        var e = new InputException("data.jsonl", 2, "text", "missing", "data.jsonl: line 2: field 'text': missing");
        Assert.Equal("data.jsonl: line 2: field 'text': missing", e.Message);
        Assert.Equal(("data.jsonl", 2L, "text", "missing"), (e.File, e.Line, e.Field, e.Problem));
    }

    [Fact]
    public void Line_Negative_IsMisuse() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InputException("f", -1, null, "x"));
}
