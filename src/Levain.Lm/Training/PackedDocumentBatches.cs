using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Packs tokenized documents into rows that each begin at a document start: a row of T + 1 tokens holds whole
/// documents separated by end-of-text, and the first document that does not fit is cut at the row's end (its tail is
/// not trained on; the next row starts with the next document). No row starts in the middle of a document, and every
/// row's first document sits at position 0, where an evaluation prompt starts, so the model sees its prompts' position
/// layout while training. (Tiling one stream across row boundaries instead, as GPT pre-training does, cut a document
/// at the start of most rows and learned the code task more slowly: 42 % vs 43 % at 3,000 steps, 2.13 vs 1.84 nll_correct.)
/// The position is the number of documents read; restoring re-enumerates the (deterministic) document sequence from its
/// start and skips that many, so the sequence must enumerate the same documents every time.
/// </summary>
public sealed class PackedDocumentBatches : IResumableBatchSource
{
    private const string Kind = "packed-documents";

    private readonly IEnumerable<IReadOnlyList<int>> _sequence;
    private IEnumerator<IReadOnlyList<int>> _documents;
    private readonly int _endOfTextId;

    public PackedDocumentBatches(IEnumerable<IReadOnlyList<int>> documents, int endOfTextId, int batchSize, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        _sequence = documents;
        _documents = documents.GetEnumerator();
        _endOfTextId = endOfTextId;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    /// <summary>Documents consumed so far (a document cut at a row's end counts once).</summary>
    public long DocumentsRead { get; private set; }

    public (Tensor Inputs, Tensor Targets) Next()
    {
        int t = SequenceLength;
        var inputs = new long[BatchSize * t];
        var targets = new long[BatchSize * t];
        var row = new long[t + 1];
        for (int r = 0; r < BatchSize; r++)
        {
            int filled = 0;
            while (filled < t + 1)
            {
                IReadOnlyList<int> document = NextDocument();
                for (int i = 0; i < document.Count && filled < t + 1; i++)
                {
                    row[filled++] = document[i];
                }
                if (filled < t + 1)
                {
                    row[filled++] = _endOfTextId;
                }
            }
            Array.Copy(row, 0, inputs, r * t, t);
            Array.Copy(row, 1, targets, r * t, t);
        }
        return (tensor(inputs, [BatchSize, t], ScalarType.Int64),   // (B, T)
                tensor(targets, [BatchSize, t], ScalarType.Int64)); // (B, T)
    }

    public string SaveState() => new System.Text.Json.Nodes.JsonObject
    {
        ["kind"] = Kind, ["documents_read"] = DocumentsRead, ["batch_size"] = BatchSize, ["sequence_length"] = SequenceLength,
    }.ToJsonString();

    public void RestoreState(string state)
    {
        var json = BatchSourceState.Parse(state, Kind);
        long read = BatchSourceState.Field<long>(json, "documents_read");
        if (read < 0)
        {
            throw new InvalidDataException($"batch position: field 'documents_read' is negative ({read})");
        }
        _documents.Dispose();
        _documents = _sequence.GetEnumerator();
        DocumentsRead = 0;
        while (DocumentsRead < read)
        {
            NextDocument();
        }
    }

    private IReadOnlyList<int> NextDocument()
    {
        if (!_documents.MoveNext())
        {
            throw new InvalidOperationException($"the document stream ended after {DocumentsRead} documents");
        }
        DocumentsRead++;
        return _documents.Current;
    }
}
