using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.FineTuning;

/// <summary>
/// Fine-tuning batches with one example per row, so attention never crosses examples: a row holds one example's
/// tokens from position 0 (the position layout of a prompt at generation), padded on the right to the longest example
/// of the batch (causal attention never lets a real token see the padding after it). Targets are the next tokens
/// where they are trained (response and end marker) and <see cref="IgnoredTarget"/> elsewhere (prompt, template,
/// padding), which cross-entropy skips — so the mean loss is the mean NLL over response tokens only. Examples are
/// visited in a fresh seeded permutation each epoch.
/// </summary>
public sealed class MaskedExampleBatches : ITokenBatchSource
{
    /// <summary>The target id cross-entropy ignores (PyTorch's and TorchSharp's default ignore_index).</summary>
    public const long IgnoredTarget = -100;

    private readonly IReadOnlyList<EncodedExample> _examples;
    private readonly int _padId;
    private readonly Generator _generator;
    private long[] _order = [];
    private int _cursor;

    public MaskedExampleBatches(IReadOnlyList<EncodedExample> examples, int batchSize, int blockSize, int padId, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (examples.Count == 0)
        {
            throw new ArgumentException("no examples to batch", nameof(examples));
        }
        foreach (var example in examples)
        {
            if (example.Tokens.Length > blockSize + 1)
            {
                throw new ArgumentException($"an example of {example.Tokens.Length} tokens exceeds the block size {blockSize} + 1", nameof(examples));
            }
        }
        _examples = examples;
        _padId = padId;
        _generator = generator;
        BatchSize = batchSize;
        SequenceLength = blockSize;
    }

    public int BatchSize { get; }

    /// <summary>The longest row (the block size); a batch is as long as its longest example.</summary>
    public int SequenceLength { get; }

    public int Epoch { get; private set; }

    public (Tensor Inputs, Tensor Targets) Next()
    {
        var rows = new EncodedExample[BatchSize];
        for (int r = 0; r < BatchSize; r++)
        {
            if (_cursor == _order.Length)
            {
                using Tensor permutation = randperm(_examples.Count, generator: _generator);
                _order = permutation.data<long>().ToArray();
                _cursor = 0;
                Epoch++;
            }
            rows[r] = _examples[(int)_order[_cursor++]];
        }
        return Build(rows, _padId);
    }

    /// <summary>Inputs (B, T) and masked targets (B, T) for these rows, T = longest row − 1.</summary>
    public static (Tensor Inputs, Tensor Targets) Build(IReadOnlyList<EncodedExample> rows, int padId)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int t = Math.Max(1, rows.Max(e => e.Tokens.Length) - 1);
        var inputs = new long[rows.Count * t];
        var targets = new long[rows.Count * t];
        Array.Fill(inputs, padId);
        Array.Fill(targets, IgnoredTarget);
        for (int r = 0; r < rows.Count; r++)
        {
            var example = rows[r];
            for (int i = 0; i + 1 < example.Tokens.Length; i++)
            {
                inputs[r * t + i] = example.Tokens[i];
                if (example.IsTrained[i + 1])
                {
                    targets[r * t + i] = example.Tokens[i + 1];
                }
            }
        }
        return (tensor(inputs, [rows.Count, t], ScalarType.Int64),   // (B, T)
                tensor(targets, [rows.Count, t], ScalarType.Int64)); // (B, T)
    }
}
