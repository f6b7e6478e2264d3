using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

public sealed class RandomWindowBatchesTests
{
    [Fact]
    public void Next_TargetsAreInputsShiftedByOne_AndSeedFixesOffsets()
    {
        int[] tokens = [.. Enumerable.Range(0, 500)];
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        var a = new RandomWindowBatches(tokens, 4, 10, g1);
        var b = new RandomWindowBatches(tokens, 4, 10, g2);
        using var scope = NewDisposeScope();
        var (x, y) = a.Next();
        var (x2, _) = b.Next();
        long[] xs = x.data<long>().ToArray();
        long[] ys = y.data<long>().ToArray();
        Assert.Equal(xs, x2.data<long>().ToArray());
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(xs[i] + 1, ys[i]); // the tokens are their own positions
        }
    }
}
