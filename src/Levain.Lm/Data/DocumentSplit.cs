namespace Levain.Lm.Data;

/// <summary>How a plain text file is cut into documents (JSONL files are always one document per line).</summary>
public enum DocumentSplit
{
    /// <summary>The whole file is one document.</summary>
    File,

    /// <summary>Documents are separated by blank lines.</summary>
    Paragraph,

    /// <summary>Every non-empty line is a document.</summary>
    Line,
}
