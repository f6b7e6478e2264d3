namespace Levain.Lm.Data;

/// <summary>Settings of <see cref="DataPreparer"/>.</summary>
public sealed record DataPrepareOptions
{
    /// <summary>Share of documents (by a hash of their text) that go to validation.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    public DocumentSplit Split { get; init; } = DocumentSplit.File;

    /// <summary>Inputs are man pages in troff.</summary>
    public bool IsTroff { get; init; }

    /// <summary>Only these sources are man pages in troff (the others are plain text or JSONL).</summary>
    public IReadOnlySet<string> TroffSources { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Start a new shard after this many tokens.</summary>
    public long ShardTokens { get; init; } = 100_000_000;
}
