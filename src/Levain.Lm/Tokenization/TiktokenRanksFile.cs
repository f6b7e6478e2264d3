using Levain.Core;
using System.Globalization;
using Levain.Lm.Data;

namespace Levain.Lm.Tokenization;

/// <summary>
/// The <c>.tiktoken</c> ranks format (one "base64-token-bytes rank" line per regular token, rank = id), which
/// Microsoft.ML.Tokenizers' <c>TiktokenTokenizer.Create</c> and OpenAI's tiktoken load. The file holds neither the
/// pattern nor the special tokens: a reader passes them itself (Levain assumes the GPT-2 pattern and
/// <c>&lt;|endoftext|&gt;</c> right after the ranks; <c>tokenizer.json</c> carries the full description).
/// </summary>
public static class TiktokenRanksFile
{
    public const string FileName = "tokenizer.tiktoken";

    public static void Write(string path, BpeTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        for (int id = 0; id < tokenizer.RegularCount; id++)
        {
            writer.WriteLine($"{Convert.ToBase64String(tokenizer.TokenBytes(id))} {id.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public static BpeTokenizer Read(string path, string pattern = PreTokenizerPatterns.Gpt2, IReadOnlyList<string>? specialTokens = null)
    {
        var tokens = new List<byte[]>();
        long line = 0;
        foreach (string chunk in TextFileReader.ReadChunks(path))
        {
            foreach (string text in chunk.Split('\n'))
            {
                if (text.Length == 0)
                {
                    continue;
                }
                line++;
                string[] parts = text.Split(' ');
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
                {
                    throw LmInputError.Data(path, "expected 'base64-bytes rank'", line);
                }
                if (rank != tokens.Count)
                {
                    throw LmInputError.Data(path, $"rank {rank} where {tokens.Count} was expected (ranks must be 0, 1, 2, ...)", line);
                }
                try
                {
                    tokens.Add(Convert.FromBase64String(parts[0]));
                }
                catch (FormatException)
                {
                    throw LmInputError.Data(path, $"'{parts[0]}' is not base64", line);
                }
            }
        }
        try
        {
            return new BpeTokenizer(tokens, specialTokens ?? [BpeTokenizer.DefaultEndOfText], pattern);
        }
        catch (ArgumentException e)
        {
            throw LmInputError.Data(path, e.Message.Split(" (Parameter")[0]);
        }
    }
}
