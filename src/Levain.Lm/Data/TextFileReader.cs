using Levain.Core;
using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace Levain.Lm.Data;

/// <summary>
/// Streams a UTF-8 text file (gzip-compressed when it starts with the gzip magic) as chunks that end at line breaks,
/// validating as it goes: an empty file, a NUL byte (binary data) or an invalid UTF-8 sequence stops the read with a
/// <see cref="InputException"/> naming the file, the line and the byte offset.
/// </summary>
public static class TextFileReader
{
    private const int BlockSize = 1 << 20;

    /// <summary>The file's text in chunks of about 1 MB, each ending after a newline (the last may not).</summary>
    public static IEnumerable<string> ReadChunks(string path)
    {
        using Stream stream = Open(path);
        var buffer = new byte[BlockSize * 2];
        int held = 0;
        long offset = 0, line = 1, total = 0;
        bool isWhitespaceOnly = true;
        while (true)
        {
            int read = stream.ReadAtLeast(buffer.AsSpan(held, BlockSize), BlockSize, throwOnEndOfStream: false);
            held += read;
            total += read;
            bool isLast = read < BlockSize;
            int end = isLast ? held : buffer.AsSpan(0, held).LastIndexOf((byte)'\n') + 1;
            if (end == 0)
            {
                end = held; // a line longer than a block: decode up to a character boundary below
            }
            (string? text, int consumed, int lines) = Decode(path, buffer.AsSpan(0, end), isLast, offset, line);
            if (text is not null)
            {
                isWhitespaceOnly = isWhitespaceOnly && string.IsNullOrWhiteSpace(text);
                yield return text;
            }
            line += lines;
            offset += consumed;
            buffer.AsSpan(consumed, held - consumed).CopyTo(buffer);
            held -= consumed;
            if (isLast)
            {
                break;
            }
        }
        if (total == 0 || isWhitespaceOnly)
        {
            throw LmInputError.Data(path, total == 0 ? "empty file" : "file has only whitespace");
        }
    }

    private static (string? Text, int Consumed, int Lines) Decode(string path, ReadOnlySpan<byte> block, bool isLast, long offset, long line)
    {
        int nul = block.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw LmInputError.Data(path, $"binary data (a NUL byte at byte offset {offset + nul}), not UTF-8 text", line + block[..nul].Count((byte)'\n'));
        }
        var chars = new char[block.Length];
        OperationStatus status = Utf8.ToUtf16(block, chars, out int consumed, out int written, replaceInvalidSequences: false, isFinalBlock: isLast);
        if (status == OperationStatus.InvalidData)
        {
            throw LmInputError.Data(path, $"not valid UTF-8 (byte 0x{block[consumed]:X2} at byte offset {offset + consumed})", line + block[..consumed].Count((byte)'\n'));
        }
        return (written > 0 ? new string(chars, 0, written) : null, consumed, block[..consumed].Count((byte)'\n'));
    }

    /// <summary>The whole file as one string (validated like <see cref="ReadChunks"/>).</summary>
    public static string ReadAll(string path)
    {
        var text = new StringBuilder();
        foreach (string chunk in ReadChunks(path))
        {
            text.Append(chunk);
        }
        return text.ToString();
    }

    private static Stream Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw LmInputError.Data(path, "not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw LmInputError.Data(path, "not found");
        }
        catch (UnauthorizedAccessException)
        {
            throw LmInputError.Data(path, "permission denied");
        }
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
