using CsCheck;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Tests.Code.Items;

public sealed class CodeItemGeneratorTests
{
    private static readonly CodeItemOptions[] Presets = [CodeItemOptions.Easy, CodeItemOptions.Medium, CodeItemOptions.Hard];

    [Fact]
    public void Generate_SameSeed_GivesIdenticalItems()
    {
        var first = CodeItemGenerator.Generate(CodeItemOptions.Medium, SeedRanges.HeldOut.Start, 60);
        var second = CodeItemGenerator.Generate(CodeItemOptions.Medium, SeedRanges.HeldOut.Start, 60);

        Assert.Equal(first.Select(Fingerprint), second.Select(Fingerprint));
    }

    [Fact]
    public void Generate_Items_MatchGenerateOneAtTheirSeed()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, 1_000_000_500, 6);

        for (var k = 0; k < items.Count; k++)
        {
            var alone = CodeItemGenerator.GenerateOne(CodeItemOptions.Easy, 1_000_000_500 + k, items[k].Form);
            Assert.Equal(Fingerprint(items[k]), Fingerprint(alone));
        }
    }

    [Fact]
    public void Generate_FormsCycle_AndIdsAreUnique()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, SeedRanges.HeldOut.Start, 30);

        Assert.Equal(
            Enumerable.Range(0, 30).Select(k => (CodeItemForm)(k % 3)),
            items.Select(item => item.Form));
        Assert.Equal(30, items.Select(item => item.Id).Distinct().Count());
        Assert.Equal("code-cloze-1000000002", items[2].Id);
        Assert.Equal(["eval", "eval", "cloze"], items.Take(3).Select(item => item.FormName));
    }

    [Fact]
    public void GenerateOne_AnySeedAndForm_HasFourDistinctChoicesAndOnlyTheGoldIsCorrect()
    {
        Gen.Select(Gen.Int[SeedRanges.HeldOut.Start, SeedRanges.HeldOut.Start + 50_000_000], Gen.Int[0, 2], Gen.Int[0, 2])
            .Sample((seed, preset, form) =>
            {
                var item = CodeItemGenerator.GenerateOne(Presets[preset], seed, (CodeItemForm)form);

                Assert.Equal(4, item.Choices.Count);
                Assert.Equal(4, item.Choices.Distinct(StringComparer.Ordinal).Count());
                Assert.InRange(item.Gold, 0, 3);
                Assert.All(item.Choices, choice => Assert.False(string.IsNullOrWhiteSpace(choice)));
                // The gold is computed by the interpreter; for every form, no distractor is also a right answer
                // (for cloze this is the uniqueness check: no other value in the hole reproduces the output).
                Assert.Equal([item.Gold], ItemOracle.CorrectChoices(item));
                var program = ItemOracle.CompleteProgram(item.Form, item.Context, item.Answer);
                Assert.Equal(item.ProgramText, program);
                Assert.Equal(ProgramHash.OfText(program), item.ProgramHash);
            }, iter: 300);
    }

    [Fact]
    public void Generate_Cloze_OnlyTheGoldValueReproducesTheOutput()
    {
        var options = CodeItemOptions.Medium with { Forms = [CodeItemForm.Cloze] };

        foreach (var item in CodeItemGenerator.Generate(options, SeedRanges.HeldOut.Start + 7_000, 150))
        {
            var reproducing = item.Choices.Where(choice => ItemOracle.IsCorrect(CodeItemForm.Cloze, item.Context, choice)).ToList();

            Assert.Equal([item.Answer], reproducing);
            Assert.All(item.Choices, choice => Assert.True(long.TryParse(choice, out _), choice));
        }
    }

    [Fact]
    public void Generate_Contexts_EndJustBeforeTheAnswer()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, SeedRanges.HeldOut.Start, 30);

        Assert.All(items.Where(i => i.Form == CodeItemForm.EvalOutput), i => Assert.EndsWith("\n# Output:", i.Context, StringComparison.Ordinal));
        Assert.All(items.Where(i => i.Form == CodeItemForm.EvalVariable), i => Assert.Matches(@"\n# Value of [a-z]+:$", i.Context));
        Assert.All(items.Where(i => i.Form == CodeItemForm.Cloze), i =>
        {
            Assert.EndsWith("\n# ?? =", i.Context, StringComparison.Ordinal);
            Assert.Equal(2, i.Context.Split("??").Length - 1); // one hole in the program, one in the question
        });
    }

    [Fact]
    public void Generate_GoldPositionAndRank_AreSpreadEvenly()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, SeedRanges.HeldOut.Start, 600);
        var positions = items.GroupBy(item => item.Gold).ToDictionary(g => g.Key, g => g.Count());
        // Rank of the gold among the numerically sorted choices: a generator that always puts distractors on
        // both sides would let "pick the middle value" beat chance.
        var ranks = items.Where(item => item.Choices.All(c => long.TryParse(c, out _)))
            .Select(item => item.Choices.Select(long.Parse).Count(v => v < long.Parse(item.Answer)))
            .GroupBy(rank => rank).ToDictionary(g => g.Key, g => g.Count());
        var ranked = ranks.Values.Sum();

        Assert.All(Enumerable.Range(0, 4), p => Assert.InRange(positions.GetValueOrDefault(p), 100, 200));
        Assert.All(Enumerable.Range(0, 4), r => Assert.InRange(ranks.GetValueOrDefault(r) / (double)ranked, 0.12, 0.40));
    }

    [Fact]
    public void Generate_Provenance_RecordsGeneratorSeedAndKnobs()
    {
        var item = CodeItemGenerator.Generate(CodeItemOptions.Hard, 1_234_567_890, 1)[0];

        Assert.Equal(CodeItemGenerator.Name, item.Provenance.Name);
        Assert.Equal(CodeItemGenerator.Version, item.Provenance.Version);
        Assert.Equal(1_234_567_890, item.Provenance.Seed);
        Assert.Equal("hard", item.Provenance.Parameters["name"]);
        Assert.Equal("6-10", item.Provenance.Parameters["statements"]);
        Assert.Equal("3", item.Provenance.Parameters["distractor_spread"]);
    }

    [Fact]
    public void Generate_SmallerSpread_GivesCloserDistractors()
    {
        static double MeanDistance(int spread) => CodeItemGenerator
            .Generate(CodeItemOptions.Easy with { DistractorSpread = spread, Forms = [CodeItemForm.Cloze] }, SeedRanges.HeldOut.Start, 150)
            .SelectMany(item => item.Choices.Select(c => Math.Abs(long.Parse(c) - long.Parse(item.Answer))))
            .Average();

        Assert.True(MeanDistance(1) < MeanDistance(8));
    }

    [Fact]
    public void Generate_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeItemGenerator.Generate(CodeItemOptions.Easy, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeItemGenerator.Generate(CodeItemOptions.Easy, int.MaxValue, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeItemGenerator.Generate(CodeItemOptions.Easy with { Forms = [] }, 0, 1));
    }

    private static string Fingerprint(CodeItem item) =>
        $"{item.Id}|{item.Form}|{item.Context}|{string.Join("¦", item.Choices)}|{item.Gold}|{item.ProgramHash}";
}
