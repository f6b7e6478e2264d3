using Levain.Core;
using System.Text.Json;
using System.Text.RegularExpressions;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;
using MlTiktoken = Microsoft.ML.Tokenizers.TiktokenTokenizer;

namespace Levain.Lm.Tests.Tokenization;

public sealed class TokenizerFileTests : IDisposable
{
    private const string Text = "Ово је мешовит текст: Latin and Cyrillic side by side, кириллица и latinica. Numbers 2024, emoji 🙂, tabs\tand\nnew lines.";
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-tok-").FullName;
    private readonly BpeTokenizer _tokenizer = BpeTrainer.Train(Enumerable.Repeat(Text, 4), new BpeTrainerOptions { VocabularySize = 380, MinFrequency = 1 });

    [Fact]
    public void TokenizerJson_WriteRead_SameTokenizerInHuggingFaceLayout()
    {
        TokenizerFiles.Save(_directory, _tokenizer, isJson: true, isTiktoken: false);
        string path = Path.Combine(_directory, "tokenizer.json");
        ITextTokenizer loaded = TokenizerFiles.Load(_directory);
        Assert.Equal(_tokenizer.Id, loaded.Id);
        Assert.Equal(_tokenizer.Encode(Text), loaded.Encode(Text));

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement model = json.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(32, model.GetProperty("vocab").GetProperty("Ġ").GetInt32()); // a space in the byte-level alphabet
        Assert.Equal(10, model.GetProperty("vocab").GetProperty("Ċ").GetInt32()); // a newline
        Assert.True(model.GetProperty("merges").GetArrayLength() >= _tokenizer.RegularCount - 256);
        JsonElement added = Assert.Single(json.RootElement.GetProperty("added_tokens").EnumerateArray());
        Assert.Equal(_tokenizer.EndOfTextId, added.GetProperty("id").GetInt32());
        Assert.Equal(PreTokenizerPatterns.Gpt2, json.RootElement.GetProperty("pre_tokenizer").GetProperty("pretokenizers")[0].GetProperty("pattern").GetProperty("Regex").GetString());
    }

    [Fact]
    public void Tiktoken_LoadedByMicrosoftMlTokenizers_GivesTheSameIds()
    {
        TokenizerFiles.Save(_directory, _tokenizer, isJson: false, isTiktoken: true);
        var specials = new Dictionary<string, int> { ["<|endoftext|>"] = _tokenizer.EndOfTextId };
        using var stream = File.OpenRead(Path.Combine(_directory, "tokenizer.tiktoken"));
        var ml = MlTiktoken.Create(stream, new Microsoft.ML.Tokenizers.RegexPreTokenizer(new Regex(PreTokenizerPatterns.Gpt2), specials), null, specials);
        foreach (string text in new[] { Text, "Unseen: ᚠᚢᚦ ﷽ and Ђурђевдан 1999<|endoftext|>", "  spaces   and\n\n\nlines" })
        {
            Assert.Equal(_tokenizer.Encode(text), ml.EncodeToIds(text));
        }
        Assert.Equal(_tokenizer.Id, TokenizerFiles.Load(Path.Combine(_directory, "tokenizer.tiktoken")).Id);
    }

    [Theory]
    [InlineData("{ \"model\": ", "not valid JSON")]
    [InlineData("{ \"model\": { \"type\": \"WordPiece\" } }", "model.type")]
    [InlineData("{ \"model\": { \"type\": \"BPE\", \"vocab\": {} }, \"pre_tokenizer\": { \"type\": \"Whitespace\" } }", "byte-level")]
    public void Load_MalformedTokenizerJson_NamesTheFile(string content, string expected)
    {
        string path = Path.Combine(_directory, "tokenizer.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InputException>(() => TokenizerFiles.Load(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadTiktokenLine_NamesFileAndLine()
    {
        string path = Path.Combine(_directory, "bad.tiktoken");
        File.WriteAllText(path, "AA== 0\nAQ== 5\n");
        var e = Assert.Throws<InputException>(() => TokenizerFiles.Load(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("rank 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Missing_NamesThePath()
    {
        var e = Assert.Throws<InputException>(() => TokenizerFiles.Load(Path.Combine(_directory, "nope.json")));
        Assert.Contains("nope.json", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
