using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Training;

public sealed class PackedDocumentBatchesTests
{
    private const int EndOfText = 99;

    // Document d is the token d repeated 1 + d % 4 times, so every token names its document.
    private static IReadOnlyList<int> Document(int d) => Enumerable.Repeat(d, 1 + (d % 4)).ToArray();

    [Fact]
    public void Next_EveryRowIsWholeDocumentsFromTheNextOneOn_TheLastCut()
    {
        var batches = new PackedDocumentBatches(Enumerable.Range(1, 10_000).Select(Document), EndOfText, batchSize: 4, sequenceLength: 6);
        int next = 1;
        for (int b = 0; b < 3; b++)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = batches.Next();
            Assert.Equal(new long[] { 4, 6 }, inputs.shape);
            Assert.Equal(new long[] { 4, 6 }, targets.shape);
            long[] x = inputs.data<long>().ToArray();
            long[] y = targets.data<long>().ToArray();
            for (int row = 0; row < 4; row++)
            {
                // Targets are the inputs shifted by one: the row holds 7 tokens.
                Assert.Equal(x.Skip((row * 6) + 1).Take(5), y.Skip(row * 6).Take(5));
                var tokens = x.Skip(row * 6).Take(6).Append(y[(row * 6) + 5]).ToList();

                var expected = new List<long>();
                int d = next;
                while (expected.Count < 7)
                {
                    expected.AddRange(Document(d).Select(t => (long)t));
                    expected.Add(EndOfText);
                    d++;
                }
                Assert.Equal(expected.Take(7), tokens);
                Assert.Equal(next, tokens[0]); // no row starts inside a document
                next = (int)tokens.Last(t => t != EndOfText) + 1;
            }
        }
        Assert.Equal(next - 1, batches.DocumentsRead);
    }

    [Fact]
    public void Next_StreamEnds_ThrowsInvalidOperation()
    {
        var batches = new PackedDocumentBatches([[1, 2]], 0, 2, 4);
        Assert.Throws<InvalidOperationException>(() => batches.Next());
    }
}
