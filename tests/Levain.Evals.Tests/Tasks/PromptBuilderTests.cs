using Levain.Evals.Items;
using Levain.Evals.Tasks;

namespace Levain.Evals.Tests.Tasks;

public sealed class PromptBuilderTests
{
    private static readonly EvalItem Item = new("q", "Pick one.", ["red", "green", "blue"], GoldAnswer.Choice(2), ItemFormat.Lettered, QualityLabel.Unreviewed);

    [Fact]
    public void Build_LetteredRotation_ShiftsChoicesAndGold()
    {
        var builder = new PromptBuilder(new TaskManifest { Name = "t", Rotations = 3 }, [Item]);
        var rotated = builder.Build(Item, 1);
        Assert.Equal("Pick one.\nA. green\nB. blue\nC. red\nAnswer:", rotated.Context);
        Assert.Equal([" A", " B", " C"], rotated.Continuations);
        Assert.Equal([1], rotated.GoldPositions);
        Assert.Equal([1, 2, 0], rotated.OriginalIndexAt);
        Assert.Equal(3, builder.RotationsOf(Item));
    }

    [Fact]
    public void Build_InstructionFormat_WrapsPromptScoresRightAfterItAndStopsAtEndMarker()
    {
        var format = new InstructionFormat("t", p => "### Instruction:\n" + p + "\n\n### Response:\n", "\n\n### End");
        var manifest = format.ApplyTo(new TaskManifest { Name = "t" });
        Assert.Equal("", manifest.TargetDelimiter);
        Assert.Equal(["\n", "\n\n### End"], manifest.Stop);
        var item = Item with { Format = ItemFormat.Cloze };
        var prompted = new PromptBuilder(manifest, [item]).Build(item, 0);
        Assert.Equal("### Instruction:\nPick one.\n\n### Response:\n", prompted.Context);
        Assert.Equal(["red", "green", "blue"], prompted.Continuations);
        var rolling = new EvalItem("r", "plain text", [], GoldAnswer.Text("plain text"), ItemFormat.Rolling, QualityLabel.Unreviewed);
        Assert.Equal("plain text", new PromptBuilder(manifest, [rolling]).Build(rolling, 0).Context);
    }

    [Fact]
    public void Build_Cloze_ScoresDelimiterPlusChoiceText()
    {
        var item = Item with { Format = ItemFormat.Cloze };
        var prompted = new PromptBuilder(new TaskManifest { Name = "t", Rotations = 3 }, [item]).Build(item, 0);
        Assert.Equal("Pick one.", prompted.Context);
        Assert.Equal([" red", " green", " blue"], prompted.Continuations);
        Assert.Equal(["red", "green", "blue"], prompted.AnswerTexts);
    }

    [Fact]
    public void Build_FewShot_IsSeededAndExcludesTheItem()
    {
        var pool = Enumerable.Range(0, 6).Select(i => new EvalItem($"i{i}", $"Q{i}?", ["x", "y"], GoldAnswer.Choice(i % 2), ItemFormat.Cloze, QualityLabel.Unreviewed)).ToArray();
        var manifest = new TaskManifest { Name = "t", FewShot = 2, FewShotSeed = 3 };
        var first = new PromptBuilder(manifest, pool).Build(pool[0], 0).Context;
        var again = new PromptBuilder(manifest, pool).Build(pool[0], 0).Context;
        Assert.Equal(first, again);
        Assert.EndsWith("\n\nQ0?", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Q0? ", first, StringComparison.Ordinal);
        Assert.Equal(3, first.Split("\n\n").Length);
    }

    [Fact]
    public void Build_TargetSuffix_EndsEveryContinuationAndEveryFewShotGold()
    {
        var pool = Enumerable.Range(0, 4).Select(i => new EvalItem($"i{i}", $"Q{i}:", ["1", "12"], GoldAnswer.Choice(i % 2), ItemFormat.Cloze, QualityLabel.Unreviewed)).ToArray();
        var manifest = new TaskManifest { Name = "t", TargetSuffix = "\n", FewShot = 1, FewShotDelimiter = "" };
        var prompted = new PromptBuilder(manifest, pool).Build(pool[0], 0);
        Assert.Equal([" 1\n", " 12\n"], prompted.Continuations);
        Assert.Matches(@"^Q\d: 12?\nQ0:$", prompted.Context);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    public void Letter_Positions(int position, string letter) => Assert.Equal(letter, PromptBuilder.Letter(position));
}
