using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.FineTuning;

public sealed class MaskedExampleBatchesTests
{
    private static IReadOnlyList<EncodedExample> Encoded() =>
    [
        FineTuneFixtures.Encoder().Encode(FineTuneFixtures.Dolly("What is 4 + 5?", "9")),
        FineTuneFixtures.Encoder().Encode(FineTuneFixtures.Dolly("Say hi.", "Hello there, friend.", context: "politely")),
        FineTuneFixtures.Encoder().Encode(FineTuneFixtures.Dolly("x = 3\nprint(x)", "3")),
    ];

    [Fact]
    public void MaskedLoss_EqualsDirectMeanNllOverResponseTokensOnly()
    {
        using var model = FineTuneFixtures.Model(5);
        var rows = Encoded();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (inputs, targets) = MaskedExampleBatches.Build(rows, ByteTokenizer.EndOfText);
        Tensor logits = model.forward(inputs);                   // (B, T, V)
        double masked = Gpt.Loss(logits, targets).item<float>(); // the trainer's loss

        // Direct: each example alone, log-softmax by hand in doubles, only positions whose next token is trained.
        double sum = 0;
        int count = 0;
        foreach (var example in rows)
        {
            Tensor alone = model.forward(tensor(example.Tokens[..^1].Select(t => (long)t).ToArray(), [1, example.Tokens.Length - 1], ScalarType.Int64));
            float[] values = alone.contiguous().data<float>().ToArray();
            int v = FineTuneFixtures.Small.VocabSize;
            for (int i = 0; i + 1 < example.Tokens.Length; i++)
            {
                if (!example.IsTrained[i + 1])
                {
                    continue;
                }
                var row = values.AsSpan(i * v, v);
                double max = double.NegativeInfinity;
                foreach (float x in row) max = Math.Max(max, x);
                double z = 0;
                foreach (float x in row) z += Math.Exp(x - max);
                sum += -(row[example.Tokens[i + 1]] - max - Math.Log(z));
                count++;
            }
        }
        Assert.Equal(rows.Sum(r => r.TrainedCount), count);
        Assert.Equal(sum / count, masked, 5);
    }

    [Fact]
    public void Build_OneExamplePerRow_PaddingAndPromptIgnored()
    {
        var rows = Encoded();
        using var scope = NewDisposeScope();
        var (inputs, targets) = MaskedExampleBatches.Build(rows, ByteTokenizer.EndOfText);
        int t = rows.Max(r => r.Tokens.Length) - 1;
        Assert.Equal(new long[] { rows.Count, t }, inputs.shape);
        long[] x = inputs.data<long>().ToArray();
        long[] y = targets.data<long>().ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            var e = rows[r];
            Assert.Equal(e.Tokens[..^1].Select(v => (long)v), x.Skip(r * t).Take(e.Tokens.Length - 1));
            Assert.All(x.Skip(r * t + e.Tokens.Length - 1).Take(t - e.Tokens.Length + 1), v => Assert.Equal(ByteTokenizer.EndOfText, v));
            for (int i = 0; i < t; i++)
            {
                long expected = i + 1 < e.Tokens.Length && e.IsTrained[i + 1] ? e.Tokens[i + 1] : MaskedExampleBatches.IgnoredTarget;
                Assert.Equal(expected, y[r * t + i]);
            }
        }
    }

    [Fact]
    public void Batches_NeverLetAResponseAttendAcrossExamples()
    {
        // Every row's logits equal the logits of its example run alone: nothing from the other rows (or padding) leaks in.
        using var model = FineTuneFixtures.Model(6);
        var rows = Encoded();
        using var generator = new Generator(1);
        var batches = new MaskedExampleBatches(rows, batchSize: 3, blockSize: FineTuneFixtures.Small.BlockSize, ByteTokenizer.EndOfText, generator);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (inputs, _) = batches.Next();
        Tensor together = model.forward(inputs); // (B, T, V)
        long[] x = inputs.data<long>().ToArray();
        int t = (int)inputs.shape[1];
        var seen = new HashSet<int>();
        for (int r = 0; r < 3; r++)
        {
            int which = rows.Select((e, i) => (e, i)).Single(p => p.e.Tokens[..^1].Select(v => (long)v).SequenceEqual(x.Skip(r * t).Take(p.e.Tokens.Length - 1))).i;
            Assert.True(seen.Add(which));
            var e = rows[which];
            Tensor alone = model.forward(tensor(e.Tokens[..^1].Select(v => (long)v).ToArray(), [1, e.Tokens.Length - 1], ScalarType.Int64));
            Tensor mine = together[r].narrow(0, 0, e.Tokens.Length - 1);
            Assert.True(mine.allclose(alone[0], rtol: 0, atol: 1e-5), $"row {r} differs by {(mine - alone[0]).abs().max().item<float>()}");
        }
        Assert.Equal(1, batches.Epoch);
    }

    [Fact]
    public void Batches_VisitEveryExampleOncePerEpoch_InASeededOrder()
    {
        var rows = Enumerable.Range(0, 10).Select(i => FineTuneFixtures.Encoder().Encode(FineTuneFixtures.Dolly($"q{i}", $"a{i}"))).ToList();
        List<string> Order(ulong seed)
        {
            using var generator = new Generator(seed);
            var batches = new MaskedExampleBatches(rows, 5, 96, ByteTokenizer.EndOfText, generator);
            var order = new List<string>();
            for (int b = 0; b < 2; b++)
            {
                using var scope = NewDisposeScope();
                var (inputs, _) = batches.Next();
                for (int r = 0; r < 5; r++)
                {
                    order.Add(ByteTokenizer.Instance.Decode(inputs[r].data<long>().ToArray().Select(v => (int)v)));
                }
            }
            return order;
        }
        var first = Order(7);
        Assert.Equal(10, first.Distinct().Count());
        Assert.Equal(first, Order(7));
        Assert.NotEqual(first, Order(8));
    }
}
