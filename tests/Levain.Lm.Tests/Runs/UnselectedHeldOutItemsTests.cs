using Levain.Lm.Evaluation;
using Levain.Lm.Runs;
using Levain.Synthetic;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Items;

namespace Levain.Lm.Tests.Runs;

public sealed class UnselectedHeldOutItemsTests
{
    private static readonly CodeItemOptions Starter = new() { Program = GeneratorOptions.Preset("starter")! };

    [Theory]
    [InlineData(64, 256)]
    [InlineData(48, 128)]
    [InlineData(1, 10)]
    public void UnselectedHeldOutItems_AreTheHeldOutItemsAtThosePositions_PastTheScoredOnes(int scored, int count)
    {
        var (seed, n) = TrainingRun.UnselectedHeldOutItems(scored, count, Starter);
        var skip = seed - SeedRanges.HeldOut.Start;
        Assert.InRange(skip, scored, scored + Starter.Forms.Count - 1); // rounded up to a whole cycle of forms
        Assert.Equal(Math.Min(count, TrainingRun.GuardedHeldOutItems - skip), n);

        var heldOut = CodeComprehensionEvaluation.HeldOutItems(TrainingRun.GuardedHeldOutItems, Starter);
        var fromSeed = CodeItemGenerator.Generate(Starter, seed, n);
        Assert.Equal(heldOut.Skip(skip).Take(n).Select(i => (i.Context, string.Join("|", i.Choices))), fromSeed.Select(i => (i.Context, string.Join("|", i.Choices))));
    }

    [Fact]
    public void UnselectedHeldOutItems_NeverReachPastTheGuardedItems()
    {
        var (seed, n) = TrainingRun.UnselectedHeldOutItems(500, 256, Starter);
        Assert.Equal(TrainingRun.GuardedHeldOutItems, seed - SeedRanges.HeldOut.Start + n);
        Assert.Equal(0, TrainingRun.UnselectedHeldOutItems(600, 256, Starter).Count);
    }
}
