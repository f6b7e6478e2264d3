using Microsoft.Win32.SafeHandles;

namespace Levain.Lm.Data;

/// <summary>
/// Reads token windows from a split's shards with positioned reads (pread): only the window is read, so resident
/// memory does not grow with the corpus (pages of a memory map would count in RSS as random windows touch them).
/// </summary>
internal sealed class ShardFiles : IDisposable
{
    private readonly SafeFileHandle[] _handles;
    private readonly long[] _tokens;
    private readonly int _bytesPerToken;

    public ShardFiles(string directory, DataSplit split, int bytesPerToken)
    {
        _bytesPerToken = bytesPerToken;
        _handles = [.. split.Shards.Select(s => File.OpenHandle(Path.Combine(directory, s.File), FileMode.Open, FileAccess.Read, FileShare.Read))];
        _tokens = [.. split.Shards.Select(s => s.Tokens)];
    }

    public int Count => _handles.Length;

    public long Tokens(int shard) => _tokens[shard];

    /// <summary>Reads <paramref name="destination"/>.Length tokens from <paramref name="shard"/> at token <paramref name="offset"/>.</summary>
    public void Read(int shard, long offset, Span<long> destination, byte[] scratch)
    {
        int bytes = destination.Length * _bytesPerToken;
        int read = RandomAccess.Read(_handles[shard], scratch.AsSpan(0, bytes), offset * _bytesPerToken);
        if (read != bytes)
        {
            throw new IOException($"short read from shard {shard} at token {offset}: {read} of {bytes} bytes");
        }
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _bytesPerToken == 2 ? BitConverter.ToUInt16(scratch, i * 2) : BitConverter.ToUInt32(scratch, i * 4);
        }
    }

    public void Dispose()
    {
        foreach (SafeFileHandle handle in _handles)
        {
            handle.Dispose();
        }
    }
}
