using System.Diagnostics;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Data;

public sealed class ShardBatchesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-shards-").FullName;

    [Fact]
    public void Next_Mix_SamplesSourcesByWeightAndWindowsAreContiguous()
    {
        // Source "a" holds tokens 0..9999 ascending, "b" tokens 20000..; windows must be runs of consecutive ids.
        DataManifest manifest = Manifest(("a", 10_000, 0), ("b", 10_000, 20_000));
        using var batches = new ShardBatches(manifest, _directory, new Dictionary<string, double> { ["a"] = 0.8, ["b"] = 0.2 }, 16, 32, seed: 3);
        for (int step = 0; step < 100; step++)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = batches.Next();
            long[] x = inputs.data<long>().ToArray(), y = targets.data<long>().ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(x[i] + 1, y[i]);
            }
        }
        double shareA = batches.RowsBySource["a"] / 1600.0;
        Assert.InRange(shareA, 0.75, 0.85);
    }

    [Fact]
    public void RestoreState_ContinuesWithTheSameBatches()
    {
        DataManifest manifest = Manifest(("a", 5_000, 0), ("b", 3_000, 9_000));
        var weights = new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 };
        using var first = new ShardBatches(manifest, _directory, weights, 4, 16, seed: 11);
        for (int i = 0; i < 7; i++) first.Next();
        string state = first.SaveState();
        long[] expected = first.Next().Inputs.data<long>().ToArray();
        using var resumed = new ShardBatches(manifest, _directory, weights, 4, 16, seed: 11);
        resumed.RestoreState(state);
        Assert.Equal(expected, resumed.Next().Inputs.data<long>().ToArray());
    }

    [Fact]
    public void Constructor_MixNamesUnknownSource_Throws()
    {
        DataManifest manifest = Manifest(("a", 100, 0));
        var e = Assert.Throws<ArgumentException>(() => new ShardBatches(manifest, _directory, new Dictionary<string, double> { ["web"] = 1 }, 2, 8, 1));
        Assert.Contains("'web'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_CorpusOfOverOneBillionTokens_ResidentMemoryDoesNotGrowWithIt()
    {
        // 1.1e9 uint16 tokens (2.2 GB) generated on the fly into one shard vs a 100k-token corpus: same RSS after batches.
        const long Big = 1_100_000_000;
        string big = Path.Combine(_directory, "big.train.000.bin");
        using (var file = new FileStream(big, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var block = new byte[1 << 22];
            for (int i = 0; i < block.Length / 2; i++) BitConverter.TryWriteBytes(block.AsSpan(i * 2), (ushort)(i % 50_000));
            for (long written = 0; written < Big * 2; written += block.Length)
            {
                file.Write(block, 0, (int)Math.Min(block.Length, Big * 2 - written));
            }
        }
        DataManifest small = Manifest(("small", 100_000, 0));
        var bigManifest = small with { Sources = [new DataSource("big", [], new DataSplit(1, Big, [new DataShard("big.train.000.bin", Big, 1)]), new DataSplit(0, 0, []))] };

        long smallRss = RssAfterBatches(small);
        long bigRss = RssAfterBatches(bigManifest);
        Assert.True(bigRss - smallRss < 48L << 20, $"RSS {smallRss >> 20} MB with 1e5 tokens vs {bigRss >> 20} MB with 1.1e9 tokens");
    }

    private long RssAfterBatches(DataManifest manifest)
    {
        using var batches = new ShardBatches(manifest, _directory, manifest.Sources.ToDictionary(s => s.Name, _ => 1.0), 32, 256, seed: 5);
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            batches.Next();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    /// <summary>One train shard per source holding ascending ids from <c>first</c> (mod 50,000).</summary>
    private DataManifest Manifest(params (string Name, int Tokens, int First)[] sources)
    {
        var list = new List<DataSource>();
        foreach (var (name, tokens, first) in sources)
        {
            var bytes = new byte[tokens * 2];
            for (int i = 0; i < tokens; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (ushort)(first + i));
            File.WriteAllBytes(Path.Combine(_directory, $"{name}.train.000.bin"), bytes);
            list.Add(new DataSource(name, [], new DataSplit(1, tokens, [new DataShard($"{name}.train.000.bin", tokens, 1)]), new DataSplit(0, 0, [])));
        }
        return new DataManifest { Tokenizer = ByteTokenizer.Instance.ToSpec(), DType = "uint16", Sources = list };
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
