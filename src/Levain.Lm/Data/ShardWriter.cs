namespace Levain.Lm.Data;

/// <summary>Appends documents (token ids + end-of-text) to numbered shard files <c>NAME.SPLIT.000.bin</c>, rolling over at a token limit.</summary>
internal sealed class ShardWriter(string directory, string prefix, int bytesPerToken, long shardTokens) : IDisposable
{
    private readonly List<DataShard> _shards = [];
    private FileStream? _file;
    private long _tokens, _documents, _totalTokens, _totalDocuments;
    private readonly byte[] _buffer = new byte[1 << 16];

    public void Add(IReadOnlyList<int> ids, int endOfTextId)
    {
        if (_file is null || _tokens >= shardTokens)
        {
            Close();
            _file = new FileStream(Path.Combine(directory, Name(_shards.Count)), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        }
        int at = 0;
        for (int i = 0; i <= ids.Count; i++)
        {
            int id = i < ids.Count ? ids[i] : endOfTextId;
            if (bytesPerToken == 2)
            {
                _buffer[at++] = (byte)id;
                _buffer[at++] = (byte)(id >> 8);
            }
            else
            {
                BitConverter.TryWriteBytes(_buffer.AsSpan(at), (uint)id);
                at += 4;
            }
            if (at + 4 > _buffer.Length)
            {
                _file.Write(_buffer, 0, at);
                at = 0;
            }
        }
        _file.Write(_buffer, 0, at);
        _tokens += ids.Count + 1;
        _documents++;
    }

    public DataSplit Finish()
    {
        Close();
        return new DataSplit(_totalDocuments, _totalTokens, _shards);
    }

    private string Name(int index) => $"{prefix}.{index:D3}.bin";

    private void Close()
    {
        if (_file is null)
        {
            return;
        }
        _file.Dispose();
        _file = null;
        _shards.Add(new DataShard(Name(_shards.Count), _tokens, _documents));
        _totalTokens += _tokens;
        _totalDocuments += _documents;
        _tokens = _documents = 0;
    }

    public void Dispose() => _file?.Dispose();
}
