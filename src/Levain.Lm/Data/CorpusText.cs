namespace Levain.Lm.Data;

/// <summary>The text of a list of files as a stream of chunks (validated by <see cref="TextFileReader"/>), for tokenizer training.</summary>
public static class CorpusText
{
    /// <param name="isTroff">Each file is a man page's troff source: convert it with <see cref="TroffText"/> (whole file at once).</param>
    public static IEnumerable<string> Chunks(IReadOnlyList<string> files, bool isTroff = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (string file in files)
        {
            if (isTroff)
            {
                yield return TroffText.ToPlainText(TextFileReader.ReadAll(file));
                continue;
            }
            foreach (string chunk in TextFileReader.ReadChunks(file))
            {
                yield return chunk;
            }
        }
    }
}
