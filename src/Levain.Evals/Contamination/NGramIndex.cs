using Levain.Core;

namespace Levain.Evals.Contamination;

/// <summary>
/// A set of hashed n-grams (13 by default) of a training corpus, built from files (each file one token stream) or
/// from a stream of documents (e.g. a generator's training corpus). <see cref="Overlap"/> gives the fraction of a
/// text's n-grams found in the corpus. Texts shorter than n tokens have no n-grams and an overlap of 0.
/// Saved as a small binary file: magic, n, count, then the sorted hashes.
/// </summary>
public sealed class NGramIndex
{
    public const int DefaultN = 13;
    private const uint Magic = 0x4C4E4758; // "LNGX"
    private readonly HashSet<ulong> _hashes;

    private NGramIndex(int n, HashSet<ulong> hashes)
    {
        N = n;
        _hashes = hashes;
    }

    public int N { get; }

    public int Count => _hashes.Count;

    public static NGramIndex FromDocuments(IEnumerable<string> documents, int n = DefaultN)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var hashes = new HashSet<ulong>();
        foreach (var document in documents)
        {
            hashes.UnionWith(NGramTokenizer.NGramHashes(NGramTokenizer.Tokens(document), n));
        }
        return new NGramIndex(n, hashes);
    }

    /// <summary>Indexes text files line by line (n-grams run across line breaks within a file, not across files).</summary>
    public static NGramIndex FromFiles(IEnumerable<string> paths, int n = DefaultN)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var hashes = new HashSet<ulong>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new InputException(path, 0, "file", "does not exist");
            }
            hashes.UnionWith(NGramTokenizer.NGramHashes(File.ReadLines(path).SelectMany(NGramTokenizer.Tokens), n));
        }
        return new NGramIndex(n, hashes);
    }

    /// <summary>The fraction of <paramref name="text"/>'s n-grams present in the index (0 for texts shorter than n tokens).</summary>
    public double Overlap(string text)
    {
        var grams = NGramTokenizer.NGramHashes(NGramTokenizer.Tokens(text), N).ToArray();
        return grams.Length == 0 ? 0 : grams.Count(_hashes.Contains) / (double)grams.Length;
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(N);
        writer.Write(_hashes.Count);
        foreach (var hash in _hashes.Order())
        {
            writer.Write(hash);
        }
    }

    public static NGramIndex Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException(path, 0, "file", "does not exist");
        }
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new InputException(path, 0, "header", "not a Levain n-gram index (build one with 'levain eval index')");
            }
            var n = reader.ReadInt32();
            var count = reader.ReadInt32();
            var hashes = new HashSet<ulong>(count);
            for (var i = 0; i < count; i++)
            {
                hashes.Add(reader.ReadUInt64());
            }
            return new NGramIndex(n, hashes);
        }
        catch (EndOfStreamException)
        {
            throw new InputException(path, 0, "hashes", "the index file is truncated");
        }
    }
}
