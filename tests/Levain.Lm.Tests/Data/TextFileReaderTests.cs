using Levain.Core;
using System.IO.Compression;
using System.Text;
using Levain.Lm.Data;

namespace Levain.Lm.Tests.Data;

public sealed class TextFileReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-text-").FullName;

    [Fact]
    public void ReadChunks_Missing_Empty_Binary_NonUtf8_OneClearErrorEach()
    {
        string missing = Path.Combine(_directory, "missing.txt");
        Assert.Equal($"{missing}: not found", Assert.Throws<InputException>(() => TextFileReader.ReadAll(missing)).Message);

        string empty = Write("empty.txt", []);
        Assert.Equal($"{empty}: empty file", Assert.Throws<InputException>(() => TextFileReader.ReadAll(empty)).Message);

        string binary = Write("image.png", [0x89, .. "PNG\r\n"u8, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]);
        var b = Assert.Throws<InputException>(() => TextFileReader.ReadAll(binary));
        Assert.StartsWith($"{binary}: line 3: binary data (a NUL byte at byte offset 8)", b.Message, StringComparison.Ordinal);

        string latin1 = Write("latin1.txt", Encoding.Latin1.GetBytes("first line\nsecond: café\n"));
        var l = Assert.Throws<InputException>(() => TextFileReader.ReadAll(latin1));
        Assert.Equal($"{latin1}: line 2: not valid UTF-8 (byte 0xE9 at byte offset 22)", l.Message);
        Assert.Equal(2, l.Line);
    }

    [Fact]
    public void ReadChunks_LargeFileWithLongLinesAndMultibyteText_ReadsEveryCharacter()
    {
        // 2.5 MB: lines far longer than the 1 MB block, Cyrillic and emoji straddling block ends.
        var text = new StringBuilder();
        for (int i = 0; i < 40_000; i++) text.Append("жёлтый 🙂 ");
        text.Append('\n');
        for (int i = 0; i < 30_000; i++) text.Append("line ").Append(i).Append(" ђ\n");
        string path = Write("big.txt", Encoding.UTF8.GetBytes(text.ToString()));
        var chunks = TextFileReader.ReadChunks(path).ToList();
        Assert.True(chunks.Count > 1);
        Assert.Equal(text.ToString(), string.Concat(chunks));
    }

    [Fact]
    public void ReadChunks_Gzip_IsDecompressed()
    {
        string path = Path.Combine(_directory, "page.1.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gz.Write("Привет\n"u8);
        }
        Assert.Equal("Привет\n", TextFileReader.ReadAll(path));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
