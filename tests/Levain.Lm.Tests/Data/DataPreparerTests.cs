using Levain.Core;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.Data;

public sealed class DataPreparerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-data-").FullName;

    [Fact]
    public void Prepare_TextAndJsonlSources_ShardsMatchManifestAndDocuments()
    {
        string text = Path.Combine(_directory, "in", "text");
        Directory.CreateDirectory(text);
        var paragraphs = Enumerable.Range(0, 200).Select(i => $"Абзац {i}: текст и text {i * 7}.").ToList();
        File.WriteAllText(Path.Combine(text, "a.txt"), string.Join("\n\n", paragraphs) + "\n");
        string jsonl = Path.Combine(_directory, "in", "code.jsonl");
        File.WriteAllLines(jsonl, Enumerable.Range(0, 100).Select(i => $$"""{"text": "x = {{i}}\nprint(x)", "id": {{i}}}"""));
        string output = Path.Combine(_directory, "out");
        DataManifest manifest = DataPreparer.Prepare(
            [new DataSourceSpec("prose", [text]), new DataSourceSpec("code", [jsonl])], ByteTokenizer.Instance, output,
            new DataPrepareOptions { ValidationFraction = 0.2, Split = DocumentSplit.Paragraph, ShardTokens = 1000 }, cancellationToken: TestContext.Current.CancellationToken);

        DataSource prose = manifest.Sources[0];
        Assert.Equal(200, prose.Train.Documents + prose.Validation.Documents);
        Assert.Equal(paragraphs.Count(p => DataPreparer.IsValidation(p, 0.2)), prose.Validation.Documents);
        Assert.InRange(prose.Validation.Documents, 20, 60);
        Assert.True(prose.Train.Shards.Count > 1, "1,000-token shards roll over");
        Assert.Equal("uint16", manifest.DType);
        long expectedTokens = paragraphs.Where(p => !DataPreparer.IsValidation(p, 0.2)).Sum(p => System.Text.Encoding.UTF8.GetByteCount(p) + 1L);
        Assert.Equal(expectedTokens, prose.Train.Tokens);
        // The shards hold the documents in order, each followed by end-of-text.
        byte[] first = File.ReadAllBytes(Path.Combine(output, prose.Train.Shards[0].File));
        string firstDocument = paragraphs.First(p => !DataPreparer.IsValidation(p, 0.2));
        var ids = Enumerable.Range(0, first.Length / 2).Select(i => BitConverter.ToUInt16(first, i * 2)).ToList();
        int end = ids.IndexOf(ByteTokenizer.EndOfText);
        Assert.Equal(firstDocument, ByteTokenizer.Instance.Decode(ids.Take(end).Select(i => (int)i)));
        Assert.Equal(100, manifest.Sources[1].Train.Documents + manifest.Sources[1].Validation.Documents);

        var (loaded, _) = DataManifest.Load(output);
        Assert.Equal(manifest.Tokenizer.Id, loaded.Tokenizer.Id);
    }

    [Fact]
    public void Prepare_OverlappingInputs_ReadEachFileOnce()
    {
        string folder = Path.Combine(_directory, "in", "overlap");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "a.txt"), "first document\n");
        File.WriteAllText(Path.Combine(folder, "sub", "b.txt"), "second document\n");
        // The folder, a file inside it, the folder again (by another spelling) and its subfolder.
        string[] inputs = [folder, Path.Combine(folder, "sub", "b.txt"), folder + "/./", Path.Combine(folder, "sub")];
        Assert.Equal([Path.Combine(folder, "a.txt"), Path.Combine(folder, "sub", "b.txt")], CorpusFiles.Expand(inputs));

        DataManifest manifest = DataPreparer.Prepare([new DataSourceSpec("prose", inputs)], ByteTokenizer.Instance, Path.Combine(_directory, "out-overlap"),
            new DataPrepareOptions { ValidationFraction = 0.0, Split = DocumentSplit.File }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, manifest.Sources[0].Train.Documents);
    }

    [Fact]
    public void Prepare_BadInputs_OneErrorNamingFileLineAndField()
    {
        string jsonl = Path.Combine(_directory, "bad.jsonl");
        File.WriteAllText(jsonl, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        var e = Assert.Throws<InputException>(() => Prepare(jsonl));
        Assert.Equal($"{jsonl}: line 2: field 'text': missing (each line must be an object with a \"text\" string)", e.Message);

        File.WriteAllText(jsonl, "{\"text\": 5}\n");
        Assert.Contains("expected a string, found number", Assert.Throws<InputException>(() => Prepare(jsonl)).Message, StringComparison.Ordinal);

        string binary = Path.Combine(_directory, "blob.bin");
        File.WriteAllBytes(binary, [1, 2, 0, 3]);
        Assert.StartsWith($"{binary}: line 1: binary data", Assert.Throws<InputException>(() => Prepare(binary)).Message, StringComparison.Ordinal);

        string missing = Path.Combine(_directory, "nope");
        Assert.Equal($"{missing}: not found", Assert.Throws<InputException>(() => Prepare(missing)).Message);
        Assert.False(File.Exists(Path.Combine(_directory, "out", DataManifest.FileName)), "no manifest for a failed preparation");
    }

    [Fact]
    public void Load_ShardTruncated_NamesTheShard()
    {
        string text = Path.Combine(_directory, "t.txt");
        File.WriteAllText(text, string.Join("\n", Enumerable.Range(0, 50).Select(i => $"line {i}")));
        Prepare(text, DocumentSplit.Line);
        string shard = Path.Combine(_directory, "out", "src.train.000.bin");
        using (var f = new FileStream(shard, FileMode.Open)) f.SetLength(f.Length - 2);
        var e = Assert.Throws<InputException>(() => DataManifest.Load(Path.Combine(_directory, "out")));
        Assert.StartsWith(shard, e.Message, StringComparison.Ordinal);
    }

    private DataManifest Prepare(string input, DocumentSplit split = DocumentSplit.File) =>
        DataPreparer.Prepare([new DataSourceSpec("src", [input])], ByteTokenizer.Instance, Path.Combine(_directory, "out"),
            new DataPrepareOptions { ValidationFraction = 0.1, Split = split });

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
