using Levain.Lm.Scoring;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Scoring;

public sealed class SamplingTests
{
    private static readonly float[] Probabilities = [0.05f, 0.4f, 0.1f, 0.3f, 0.15f];

    [Theory]
    [InlineData(0, 1.0, new[] { 0.05, 0.4, 0.1, 0.3, 0.15 })]
    [InlineData(2, 1.0, new[] { 0, 0.4, 0, 0.3, 0 })]
    [InlineData(0, 0.69, new[] { 0, 0.4, 0, 0.3, 0 })]    // 0.4 + 0.3 reaches 0.69: the nucleus stops there
    [InlineData(0, 0.71, new[] { 0, 0.4, 0, 0.3, 0.15 })]
    [InlineData(0, 0.01, new[] { 0, 0.4, 0, 0, 0 })]      // the most likely token always stays
    [InlineData(3, 0.5, new[] { 0, 0.4, 0, 0.3, 0 })]
    public void Truncate_TopKAndTopP_KeepsExpectedTokens(int topK, double topP, double[] expected)
    {
        using var scope = NewDisposeScope();
        float[] kept = CheckpointScorer.Truncate(tensor(Probabilities), topK, topP).data<float>().ToArray();
        Assert.Equal(expected.Length, kept.Length);
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.Equal(expected[i], kept[i], 6);
        }
    }

    [Fact]
    public void SamplingOptions_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(TopP: 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(Temperature: -1).Validate());
    }
}
