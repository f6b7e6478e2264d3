using Levain.Core;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Data;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.FineTuning;

public sealed class PromptTemplateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-template-").FullName;

    [Theory]
    [InlineData("dolly", "What is 2 + 3?", "", "5")]
    [InlineData("dolly", "Summarise.", "Line one.\nLine two — with ünïcode.", "Two lines.\n\nReally.")]
    [InlineData("dolly-compact", "x = 3\nprint(x)", "", "3")]
    [InlineData("dolly-eot", "x = 3\nprint(x)", "", "3")]
    public void Render_ThenParse_RoundTripsTheResponse(string name, string instruction, string context, string response)
    {
        var template = PromptTemplate.Resolve(name);
        var example = FineTuneExample.Dolly(instruction, context, response);
        string rendered = string.Concat(template.Render(example).Select(s => s.Text));
        Assert.Equal(response, template.ParseResponse(rendered));
        Assert.StartsWith(template.Preamble + template.InstructionMarker + instruction, rendered, StringComparison.Ordinal);
        Assert.Equal(context.Length > 0, rendered.Contains(template.ContextMarker + context, StringComparison.Ordinal));
        Assert.EndsWith(response + template.End, rendered, StringComparison.Ordinal);
        // The prompt is exactly the rendered text up to the response.
        string prompt = string.Concat(template.RenderPrompt(instruction, context).Select(s => s.Text));
        Assert.Equal(rendered[..rendered.LastIndexOf(response + template.End, StringComparison.Ordinal)], prompt);
    }

    [Fact]
    public void Encode_DecodesToTheRenderedText_AndTrainsOnlyResponseAndEnd()
    {
        var encoder = FineTuneFixtures.Encoder(PromptTemplate.Dolly);
        var example = FineTuneFixtures.Dolly("Name a colour.", "Vermilion ✓", context: "Warm ones.");
        var encoded = encoder.Encode(example);
        string rendered = string.Concat(PromptTemplate.Dolly.Render(example).Select(s => s.Text));
        Assert.Equal(rendered, ByteTokenizer.Instance.Decode(encoded.Tokens));
        var trained = encoded.Tokens.Where((_, i) => encoded.IsTrained[i]);
        Assert.Equal("Vermilion ✓" + PromptTemplate.Dolly.End, ByteTokenizer.Instance.Decode(trained));
        // Trained tokens are one suffix: nothing of the prompt is trained.
        int first = Array.IndexOf(encoded.IsTrained, true);
        Assert.All(encoded.IsTrained[first..], Assert.True);
        Assert.Equal(encoder.EncodePrompt("Name a colour.", "Warm ones."), encoded.Tokens[..first]);
    }

    [Fact]
    public void Chat_TrainsEveryAssistantTurn_AndPromptEndsWithAssistantMarker()
    {
        var template = PromptTemplate.Chat;
        ChatMessage[] messages = [new("system", "Be brief."), new("user", "Hi"), new("assistant", "Hello."), new("user", "2+2?"), new("assistant", "4")];
        var segments = template.Render(FineTuneExample.Chat(messages));
        Assert.Equal(["Hello." + template.End, "4" + template.End], segments.Where(s => s.IsTrained).Select(s => s.Text));
        Assert.Equal("<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\nHello.<|end|>\n<|user|>\n2+2?\n<|assistant|>\n4<|end|>\n", string.Concat(segments.Select(s => s.Text)));
        string prompt = string.Concat(template.RenderChatPrompt(messages[..4]).Select(s => s.Text));
        Assert.Equal("<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\nHello.<|end|>\n<|user|>\n2+2?\n<|assistant|>\n", prompt);
    }

    [Fact]
    public void TemplateFile_WriteThenRead_RoundTrips_AndUnknownFieldNamesLineAndField()
    {
        var custom = PromptTemplate.Dolly with { Name = "mine", End = "<|endoftext|>", SpecialTokens = ["<|endoftext|>"] };
        custom.Write(_directory);
        var read = PromptTemplate.ReadFrom(_directory)!;
        Assert.Equal(custom.End, read.End);
        Assert.Equal(custom.SpecialTokens, read.SpecialTokens);
        Assert.Equal(custom.Preamble, read.Preamble);

        string bad = Path.Combine(_directory, "bad.json");
        File.WriteAllText(bad, "{\n  \"name\": \"x\",\n  \"end_marker\": \"###\"\n}");
        var e = Assert.Throws<InputException>(() => PromptTemplate.Resolve(bad));
        Assert.Equal(bad, e.File);
        Assert.Contains("end_marker", e.Message, StringComparison.Ordinal);
        Assert.True(e.Line >= 2, e.Message);
    }

    [Fact]
    public void SpecialToken_KnownToTheTokenizer_IsOneToken_UnknownIsRefusedNamingCheckpointAndField()
    {
        // The built-in dolly-eot: dolly-compact's markers, the response ended by the one end-of-text token, which is trained.
        var withEot = PromptTemplate.Resolve("dolly-eot");
        Assert.Equal(PromptTemplate.DollyCompact.ResponseMarker, withEot.ResponseMarker);
        var encoded = new TemplateEncoder(withEot, ByteTokenizer.Instance, "base/config.json").Encode(FineTuneFixtures.Dolly("a", "b"));
        Assert.Equal(ByteTokenizer.EndOfText, encoded.Tokens[^1]);
        Assert.Equal((byte)'b', encoded.Tokens[^2]);
        Assert.Equal([(int)'b', ByteTokenizer.EndOfText], encoded.Tokens.Where((_, i) => encoded.IsTrained[i]));

        var chat = PromptTemplate.Chat with { SpecialTokens = ["<|user|>", "<|assistant|>", "<|end|>"] };
        var e = Assert.Throws<InputException>(() => new TemplateEncoder(chat, ByteTokenizer.Instance, "base/config.json"));
        Assert.Equal("base/config.json", e.File);
        Assert.Equal("tokenizer", e.Field);
        Assert.Contains("<|user|>", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
