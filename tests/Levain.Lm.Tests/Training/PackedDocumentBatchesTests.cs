using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

public sealed class PackedDocumentBatchesTests
{
    [Fact]
    public void Next_ConsecutiveBatches_TileTheDocumentStreamWithEndOfText()
    {
        var documents = Enumerable.Range(1, 1000).Select(d => (IReadOnlyList<int>)Enumerable.Repeat(d % 200, d % 5 + 1).ToArray());
        var stream = Enumerable.Range(1, 1000).SelectMany(d => Enumerable.Repeat(d % 200, d % 5 + 1).Append(256)).ToList();
        var batches = new PackedDocumentBatches(documents, 256, batchSize: 3, sequenceLength: 7);
        for (int b = 0; b < 5; b++)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = batches.Next();
            Assert.Equal(new long[] { 3, 7 }, inputs.shape);
            long[] x = inputs.data<long>().ToArray();
            long[] y = targets.data<long>().ToArray();
            for (int i = 0; i < 21; i++)
            {
                Assert.Equal(stream[b * 21 + i], x[i]);
                Assert.Equal(stream[b * 21 + i + 1], y[i]);
            }
        }
    }

    [Fact]
    public void Next_StreamEnds_ThrowsInvalidOperation()
    {
        var batches = new PackedDocumentBatches([[1, 2]], 0, 2, 4);
        Assert.Throws<InvalidOperationException>(() => batches.Next());
    }
}
