using Levain.Core;
using Levain.Lm.Data;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Finds and loads a tokenizer given as <c>bytes</c>, a directory (its <c>tokenizer.json</c>, else its one
/// <c>*.tiktoken</c>), a <c>tokenizer.json</c>-style JSON file or a <c>.tiktoken</c> ranks file, and saves trained ones.
/// </summary>
public static class TokenizerFiles
{
    public static ITextTokenizer Load(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (reference == ByteTokenizer.TokenizerId)
        {
            return ByteTokenizer.Instance;
        }
        if (Directory.Exists(reference))
        {
            string json = Path.Combine(reference, HuggingFaceTokenizerFile.FileName);
            if (File.Exists(json))
            {
                return HuggingFaceTokenizerFile.Read(json);
            }
            string[] ranks = Directory.GetFiles(reference, "*.tiktoken");
            return ranks.Length == 1
                ? TiktokenRanksFile.Read(ranks[0])
                : throw LmInputError.Data(reference, $"no {HuggingFaceTokenizerFile.FileName} and {(ranks.Length == 0 ? "no" : "several")} *.tiktoken files");
        }
        if (!File.Exists(reference))
        {
            throw LmInputError.Data(reference, "tokenizer not found (expected bytes, a directory, a tokenizer.json or a .tiktoken file)");
        }
        return reference.EndsWith(".tiktoken", StringComparison.OrdinalIgnoreCase)
            ? TiktokenRanksFile.Read(reference)
            : HuggingFaceTokenizerFile.Read(reference);
    }

    /// <summary>Writes <c>tokenizer.json</c> and/or <c>tokenizer.tiktoken</c> into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Save(string directory, BpeTokenizer tokenizer, bool isJson = true, bool isTiktoken = true)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        if (isJson)
        {
            written.Add(Path.Combine(directory, HuggingFaceTokenizerFile.FileName));
            HuggingFaceTokenizerFile.Write(written[^1], tokenizer);
        }
        if (isTiktoken)
        {
            written.Add(Path.Combine(directory, TiktokenRanksFile.FileName));
            TiktokenRanksFile.Write(written[^1], tokenizer);
        }
        return written;
    }
}
