using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Tests.Code;

public sealed class ProgramGeneratorTests
{
    public static TheoryData<string> Presets => new() { "easy", "medium", "hard" };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Generate_SameSeed_GivesIdenticalProgram(string preset)
    {
        var options = GeneratorOptions.Preset(preset)!;
        for (var seed = 0; seed < 50; seed++)
        {
            var first = ProgramGenerator.Generate(options, seed);
            var second = ProgramGenerator.Generate(options, seed);

            Assert.Equal(first.Text, second.Text);
            Assert.Equal(first.Hash, second.Hash);
            Assert.Equal(first.Result.OutputLines, second.Result.OutputLines);
        }
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveVariedPrograms()
    {
        var hashes = Enumerable.Range(0, 500).Select(seed => ProgramGenerator.Generate(GeneratorOptions.Easy, seed).Hash);

        Assert.True(hashes.Distinct().Count() >= 490);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Generate_ManySeeds_ProgramsRunCleanlyWithinKnobs(string preset)
    {
        var options = GeneratorOptions.Preset(preset)!;
        for (var seed = 0; seed < 300; seed++)
        {
            var generated = ProgramGenerator.Generate(options, seed);
            // Re-run without the generator's limits: the program must still succeed on its own.
            var result = Interpreter.Run(generated.Program);
            var literals = generated.Text.Split([' ', '(', ')', '[', ']', ',', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Where(token => long.TryParse(token, out _)).Select(long.Parse).ToList();

            Assert.True(result.IsSuccess, generated.Text);
            Assert.False(Liveness.HasDeadStatement(generated.Program), generated.Text);
            Assert.InRange(result.OutputLines.Count, 1, options.MaxOutputLines);
            Assert.True(generated.Text.Length <= options.MaxProgramChars, generated.Text);
            Assert.All(result.FinalVariables, pair => Assert.True(
                pair.Value.IsList ? pair.Value.Items!.All(v => Math.Abs(v) <= options.MaxAbsValue) : Math.Abs(pair.Value.Integer) <= options.MaxAbsValue,
                generated.Text));
            Assert.All(literals, value => Assert.InRange(value, Math.Min(options.MinLiteral, -1), Math.Max(options.MaxLiteral, options.MaxLoopTrips)));
            Assert.Equal(ProgramHash.OfText(generated.Text), generated.Hash);
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Generate_ManySeeds_StatementCountWithinKnobs(string preset)
    {
        var options = GeneratorOptions.Preset(preset)!;
        var counts = Enumerable.Range(0, 300)
            .Select(seed => CountStatements(ProgramGenerator.Generate(options, seed).Program.Body)).ToList();

        Assert.All(counts, count => Assert.InRange(count, options.MinStatements, options.MaxStatements));
        Assert.Equal(options.MaxStatements - options.MinStatements + 1, counts.Distinct().Count());
    }

    [Fact]
    public void Generate_EasyPreset_KeepsProgramsShort()
    {
        var programs = Enumerable.Range(0, 300).Select(seed => ProgramGenerator.Generate(GeneratorOptions.Easy, seed)).ToList();

        Assert.All(programs, p => Assert.True(p.Text.Length <= 110, p.Text));
        Assert.InRange(programs.Average(p => p.Text.Length), 35, 100);
    }

    private static int CountStatements(IReadOnlyList<Statement> block) => block.Sum(statement => 1 + statement switch
    {
        IfStatement branch => CountStatements(branch.Then) + CountStatements(branch.Else),
        ForStatement loop => CountStatements(loop.Body),
        _ => 0,
    });

    [Fact]
    public void Generate_StraightLineOptions_ProduceNoLoopsOrBranches()
    {
        var options = GeneratorOptions.Easy with { MaxNestingDepth = 0, Name = "flat" };

        for (var seed = 0; seed < 100; seed++)
        {
            var text = ProgramGenerator.Generate(options, seed).Text;
            Assert.DoesNotContain("for ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("if ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Generate_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ProgramGenerator.Generate(GeneratorOptions.Easy with { MinStatements = 4, MaxStatements = 2 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ProgramGenerator.Generate(GeneratorOptions.Easy with { MaxLoopTrips = 0 }, 1));
    }

    [Fact]
    public void Stream_FirstProgram_IsGenerateResult()
    {
        var stream = ProgramGenerator.Stream(GeneratorOptions.Medium, 42).Take(3).ToList();

        Assert.Equal(ProgramGenerator.Generate(GeneratorOptions.Medium, 42).Text, stream[0].Text);
        Assert.Equal(3, stream.Select(p => p.Text).Distinct().Count());
    }
}
