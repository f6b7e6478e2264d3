using Levain.Core;
using System.Text;
using System.Text.Json;

namespace Levain.Lm.Data;

/// <summary>
/// The documents of one file: JSONL (<c>.jsonl</c>, <c>.jsonl.gz</c>) gives the <c>text</c> field of each line; other
/// files are UTF-8 text cut by <see cref="DocumentSplit"/> (man pages converted from troff first when asked).
/// </summary>
public static class DocumentReader
{
    public static IEnumerable<string> Read(string path, DocumentSplit split, bool isTroff = false)
    {
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return Jsonl(path);
        }
        if (isTroff || split == DocumentSplit.File)
        {
            string text = TextFileReader.ReadAll(path);
            return [isTroff ? TroffText.ToPlainText(text) : text];
        }
        return Lines(path, split);
    }

    private static IEnumerable<string> Lines(string path, DocumentSplit split)
    {
        var document = new StringBuilder();
        string carry = "";
        foreach (string chunk in TextFileReader.ReadChunks(path))
        {
            string[] lines = (carry + chunk).Split('\n');
            carry = lines[^1];
            foreach (string line in lines.Take(lines.Length - 1))
            {
                if (split == DocumentSplit.Line)
                {
                    if (line.Trim().Length > 0) yield return line;
                }
                else if (line.Trim().Length == 0)
                {
                    if (document.Length > 0) yield return document.ToString().TrimEnd('\n');
                    document.Clear();
                }
                else
                {
                    document.Append(line).Append('\n');
                }
            }
        }
        if (split == DocumentSplit.Line && carry.Trim().Length > 0)
        {
            yield return carry;
        }
        else if (split == DocumentSplit.Paragraph)
        {
            document.Append(carry);
            if (document.ToString().Trim().Length > 0) yield return document.ToString().TrimEnd('\n');
        }
    }

    private static IEnumerable<string> Jsonl(string path)
    {
        long number = 0;
        string carry = "";
        foreach (string chunk in TextFileReader.ReadChunks(path))
        {
            string[] lines = (carry + chunk).Split('\n');
            carry = lines[^1];
            for (int i = 0; i < lines.Length - 1; i++)
            {
                number++;
                if (ParseLine(path, lines[i], number) is { } text) yield return text;
            }
        }
        if (carry.Length > 0 && ParseLine(path, carry, ++number) is { } last)
        {
            yield return last;
        }
    }

    private static string? ParseLine(string path, string line, long number)
    {
        if (line.Trim().Length == 0)
        {
            return null;
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw LmInputError.Data(path, $"not valid JSON ({e.Message.Split(". ")[0]})", number);
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out JsonElement text))
        {
            throw LmInputError.Data(path, "missing (each line must be an object with a \"text\" string)", number, "text");
        }
        return text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw LmInputError.Data(path, $"expected a string, found {text.ValueKind.ToString().ToLowerInvariant()}", number, "text");
    }
}
