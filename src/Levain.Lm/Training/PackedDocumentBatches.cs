using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Packs a stream of tokenized documents, each followed by end-of-text, into one continuous token stream and cuts it
/// into batches of B rows × T tokens. Consecutive batches tile the stream: every token is a target exactly once, and
/// a document may continue from one row into the next (as GPT pre-training does).
/// </summary>
public sealed class PackedDocumentBatches : ITokenBatchSource
{
    private readonly IEnumerator<IReadOnlyList<int>> _documents;
    private readonly int _endOfTextId;
    private readonly Queue<int> _pending = new();
    private int _carry = -1;

    public PackedDocumentBatches(IEnumerable<IReadOnlyList<int>> documents, int endOfTextId, int batchSize, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        _documents = documents.GetEnumerator();
        _endOfTextId = endOfTextId;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    /// <summary>Documents consumed so far.</summary>
    public long DocumentsRead { get; private set; }

    public (Tensor Inputs, Tensor Targets) Next()
    {
        int n = BatchSize * SequenceLength;
        var window = new long[n + 1]; // tokens t0 … tN: inputs t0…tN-1, targets t1…tN
        int filled = 0;
        if (_carry >= 0)
        {
            window[filled++] = _carry;
        }
        while (filled < n + 1)
        {
            if (_pending.Count == 0)
            {
                Refill();
            }
            window[filled++] = _pending.Dequeue();
        }
        _carry = (int)window[n];
        Tensor inputs = tensor(window.AsSpan(0, n).ToArray(), [BatchSize, SequenceLength], ScalarType.Int64);   // (B, T)
        Tensor targets = tensor(window.AsSpan(1, n).ToArray(), [BatchSize, SequenceLength], ScalarType.Int64);  // (B, T)
        return (inputs, targets);
    }

    private void Refill()
    {
        if (!_documents.MoveNext())
        {
            throw new InvalidOperationException($"the document stream ended after {DocumentsRead} documents");
        }
        DocumentsRead++;
        foreach (int token in _documents.Current)
        {
            _pending.Enqueue(token);
        }
        _pending.Enqueue(_endOfTextId);
    }
}
