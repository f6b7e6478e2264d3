using Levain.Synthetic.Code.Corpus;
using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Tests.Code.Corpus;

public sealed class HeldOutGuardTests
{
    [Fact]
    public void For_Items_HoldsTheirDistinctProgramHashes()
    {
        var items = CodeItemGenerator.Generate(CodeItemOptions.Easy, SeedRanges.HeldOut.Start, 20);

        var guard = HeldOutGuard.For(items);

        Assert.Equal(items.Select(i => i.ProgramHash).Distinct().Count(), guard.Count);
        Assert.All(items, item => Assert.True(guard.IsHeldOut(item.ProgramHash)));
        Assert.False(guard.IsHeldOut("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void FilterAndFindLeaks_SplitDocumentsByHash()
    {
        var documents = new[]
        {
            new TrainingDocument("a", "h1", 1, "easy", CodeItemForm.EvalOutput),
            new TrainingDocument("b", "h2", 2, "easy", CodeItemForm.Cloze),
            new TrainingDocument("c", "h3", 3, "easy", CodeItemForm.EvalVariable),
        };
        var guard = new HeldOutGuard(["h2"]);

        Assert.Equal(["a", "c"], guard.Filter(documents).Select(d => d.Text));
        Assert.Equal(["b"], guard.FindLeaks(documents).Select(d => d.Text));
    }
}
