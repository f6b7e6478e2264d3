using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Batches of B windows of T+1 tokens starting at uniformly random offsets of one token array (nanoGPT's sampler for a
/// single text file). Offsets come from the caller's <see cref="Generator"/>, so a seed fixes the batch sequence; the
/// position is that generator's state.
/// </summary>
public sealed class RandomWindowBatches : IResumableBatchSource
{
    private const string Kind = "random-windows";

    private readonly long[] _tokens;
    private readonly Generator _generator;

    public RandomWindowBatches(IReadOnlyList<int> tokens, int batchSize, int sequenceLength, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (tokens.Count < sequenceLength + 2)
        {
            throw new ArgumentException($"{tokens.Count} tokens are too few for windows of {sequenceLength + 1}", nameof(tokens));
        }
        _tokens = tokens.Select(t => (long)t).ToArray();
        _generator = generator;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    public (Tensor Inputs, Tensor Targets) Next()
    {
        int t = SequenceLength;
        using Tensor offsets = randint(0, _tokens.Length - t, [BatchSize], dtype: ScalarType.Int64, generator: _generator);
        long[] starts = offsets.data<long>().ToArray();
        var inputs = new long[BatchSize * t];
        var targets = new long[BatchSize * t];
        for (int row = 0; row < BatchSize; row++)
        {
            Array.Copy(_tokens, starts[row], inputs, row * t, t);
            Array.Copy(_tokens, starts[row] + 1, targets, row * t, t);
        }
        return (tensor(inputs, [BatchSize, t], ScalarType.Int64), tensor(targets, [BatchSize, t], ScalarType.Int64)); // (B, T) each
    }

    public string SaveState()
    {
        using Tensor state = _generator.get_state();
        return new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = Kind, ["rng"] = Convert.ToBase64String(state.data<byte>().ToArray()), ["tokens"] = _tokens.Length,
        }.ToJsonString();
    }

    public void RestoreState(string state)
    {
        var json = BatchSourceState.Parse(state, Kind);
        long tokens = BatchSourceState.Field<long>(json, "tokens");
        if (tokens != _tokens.Length)
        {
            throw new InvalidDataException($"batch position: field 'tokens' is {tokens}, but this run's training data has {_tokens.Length} tokens");
        }
        byte[] rng;
        try
        {
            rng = Convert.FromBase64String(BatchSourceState.Field<string>(json, "rng"));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException("batch position: field 'rng' is not base64", e);
        }
        using Tensor saved = tensor(rng, ScalarType.Byte);
        _generator.set_state(saved);
    }
}
