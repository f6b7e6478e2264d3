using CsCheck;
using Levain.Runner.Protocol;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Protocol;

public sealed class CommandTemplateTests
{
    private static readonly Dictionary<string, ParamValue> Params = new() { ["lr"] = 0.0003, ["width"] = 256.0, ["opt"] = "adamw", ["wd"] = true };

    [Fact]
    public void Substitute_PlaceholdersInEachElement_ReplacedWithInvariantText()
    {
        var argv = CommandTemplate.Substitute(["train", "--lr={lr}", "{width}", "{opt}-{wd}", "{trial_id}", "{{literal}}"], Params, "s-7");
        Assert.Equal(["train", "--lr=0.0003", "256", "adamw-true", "s-7", "{literal}"], argv);
    }

    [Fact]
    public void Substitute_ValueWithShellSyntax_StaysOneLiteralArgument()
    {
        var evil = new Dictionary<string, ParamValue> { ["opt"] = "x; rm -rf ~ $(touch pwned) `id` | cat" };
        var argv = CommandTemplate.Substitute(["echo", "{opt}"], evil, "t");
        Assert.Equal(2, argv.Count);
        Assert.Equal("x; rm -rf ~ $(touch pwned) `id` | cat", argv[1]);
    }

    [Fact]
    public void Substitute_AnyChoiceText_IsPassedThroughUnchanged()
    {
        Gen.String.Sample(text =>
        {
            var argv = CommandTemplate.Substitute(["{c}"], new Dictionary<string, ParamValue> { ["c"] = text }, "t");
            Assert.Equal(text, Assert.Single(argv));
        });
    }

    [Theory]
    [InlineData("{nope}", "placeholder {nope} is not a parameter")]
    [InlineData("--lr={lr", "is not closed")]
    [InlineData("a}b", "has no opening brace")]
    [InlineData("{}", "empty placeholder")]
    public void FindProblem_MalformedTemplate_Explains(string argument, string expected)
    {
        var problem = CommandTemplate.FindProblem(argument, new HashSet<string> { "lr" });
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindProblem_WellFormed_ReturnsNull()
    {
        Assert.Null(CommandTemplate.FindProblem("--lr={lr}/{trial_id}/{{x}}", new HashSet<string> { "lr" }));
    }
}
