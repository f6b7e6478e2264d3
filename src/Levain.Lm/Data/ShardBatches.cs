using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Data;

/// <summary>
/// Training batches streamed from prepared shards: each row picks a source by its mix weight, a shard by its token
/// count, and a uniformly random window of T + 1 tokens in it (nanoGPT's sampler, over several sources). Randomness is
/// an owned SplitMix64 generator, so the position is two numbers (<see cref="SaveState"/>) and a resumed run sees the
/// same batches. Memory is one batch: windows are read from disk as needed.
/// </summary>
public sealed class ShardBatches : IResumableBatchSource, IDisposable
{
    private readonly ShardFiles[] _sources;
    private readonly string[] _names;
    private readonly double[] _cumulativeWeights;
    private readonly long[] _rowsBySource;
    private readonly byte[] _scratch;
    private ulong _state;
    private long _batches;

    /// <param name="weights">Mix weight per source name (normalised here); sources left out are not sampled.</param>
    public ShardBatches(DataManifest manifest, string directory, IReadOnlyDictionary<string, double> weights, int batchSize, int sequenceLength, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        var chosen = manifest.Sources.Where(s => weights.GetValueOrDefault(s.Name) > 0).ToList();
        foreach (string name in weights.Keys.Where(n => manifest.Sources.All(s => s.Name != n)))
        {
            throw new ArgumentException($"the mix names '{name}', which is not a source of the manifest (sources: {string.Join(", ", manifest.Sources.Select(s => s.Name))})", nameof(weights));
        }
        if (chosen.Count == 0)
        {
            throw new ArgumentException("the mix gives no source a positive weight", nameof(weights));
        }
        foreach (DataSource source in chosen.Where(s => s.Train.Shards.All(sh => sh.Tokens < sequenceLength + 1)))
        {
            throw new ArgumentException($"source '{source.Name}' has no training shard of {sequenceLength + 1} tokens or more ({source.Train.Tokens} tokens in all)", nameof(manifest));
        }
        _names = [.. chosen.Select(s => s.Name)];
        _sources = [.. chosen.Select(s => new ShardFiles(directory, s.Train, manifest.BytesPerToken))];
        double total = chosen.Sum(s => weights[s.Name]);
        _cumulativeWeights = new double[chosen.Count];
        double sum = 0;
        for (int i = 0; i < chosen.Count; i++)
        {
            sum += weights[chosen[i].Name] / total;
            _cumulativeWeights[i] = sum;
        }
        _cumulativeWeights[^1] = 1.0;
        _rowsBySource = new long[chosen.Count];
        _scratch = new byte[(sequenceLength + 1) * manifest.BytesPerToken];
        _state = seed;
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    /// <summary>Rows drawn so far per source (the realised mix).</summary>
    public IReadOnlyDictionary<string, long> RowsBySource => _names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => _rowsBySource[p.i]);

    public (Tensor Inputs, Tensor Targets) Next()
    {
        int t = SequenceLength;
        var inputs = new long[BatchSize * t];
        var targets = new long[BatchSize * t];
        var window = new long[t + 1];
        for (int row = 0; row < BatchSize; row++)
        {
            int source = PickSource(NextDouble());
            ShardFiles shards = _sources[source];
            int shard = PickShard(shards, t + 1);
            long offset = (long)(NextDouble() * (shards.Tokens(shard) - t));
            shards.Read(shard, offset, window, _scratch);
            Array.Copy(window, 0, inputs, row * t, t);
            Array.Copy(window, 1, targets, row * t, t);
            _rowsBySource[source]++;
        }
        _batches++;
        return (tensor(inputs, [BatchSize, t], ScalarType.Int64),   // (B, T)
                tensor(targets, [BatchSize, t], ScalarType.Int64)); // (B, T)
    }

    public string SaveState() => new JsonObject { ["rng"] = _state.ToString(System.Globalization.CultureInfo.InvariantCulture), ["batches"] = _batches, ["rows"] = new JsonArray([.. _rowsBySource.Select(r => (JsonNode)r)]) }.ToJsonString();

    public void RestoreState(string state)
    {
        JsonNode node = JsonNode.Parse(state) ?? throw new ArgumentException("empty state", nameof(state));
        _state = ulong.Parse(node["rng"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        _batches = node["batches"]!.GetValue<long>();
        var rows = node["rows"]!.AsArray();
        if (rows.Count != _rowsBySource.Length)
        {
            throw new ArgumentException($"the state has {rows.Count} sources, this mix {_rowsBySource.Length}", nameof(state));
        }
        for (int i = 0; i < rows.Count; i++)
        {
            _rowsBySource[i] = rows[i]!.GetValue<long>();
        }
    }

    public void Dispose()
    {
        foreach (ShardFiles source in _sources)
        {
            source.Dispose();
        }
    }

    private int PickSource(double u)
    {
        for (int i = 0; i < _cumulativeWeights.Length; i++)
        {
            if (u < _cumulativeWeights[i]) return i;
        }
        return _cumulativeWeights.Length - 1;
    }

    private int PickShard(ShardFiles shards, int window)
    {
        long usable = 0;
        for (int i = 0; i < shards.Count; i++) usable += Math.Max(0, shards.Tokens(i) - window + 1);
        long pick = (long)(NextDouble() * usable);
        for (int i = 0; i < shards.Count; i++)
        {
            long span = Math.Max(0, shards.Tokens(i) - window + 1);
            if (pick < span) return i;
            pick -= span;
        }
        return shards.Count - 1;
    }

    // SplitMix64 (Steele, Lea and Flood 2014): 64 bits of state, a full-period counter with a mixing function.
    private double NextDouble()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
