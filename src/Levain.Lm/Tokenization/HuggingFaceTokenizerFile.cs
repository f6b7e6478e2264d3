using Levain.Core;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.Data;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Reads and writes a byte-level BPE tokenizer as a Hugging Face <c>tokenizer.json</c>: model type BPE with the vocabulary
/// in the byte-level alphabet (<see cref="ByteLevelAlphabet"/>) and its merges, a <c>Split</c> pre-tokenizer with the
/// pattern followed by <c>ByteLevel</c> (no prefix space, no regex of its own), a <c>ByteLevel</c> decoder, and the
/// special tokens as added tokens after the regular ids. Merges list every split of each token into two tokens, in
/// token id order, so applying them by rank reproduces this tokenizer's rank-by-id merging.
/// </summary>
public static class HuggingFaceTokenizerFile
{
    public const string FileName = "tokenizer.json";

    public static void Write(string path, BpeTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var idByBytes = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocab = new JsonObject();
        for (int id = 0; id < tokenizer.RegularCount; id++)
        {
            string text = ByteLevelAlphabet.Encode(tokenizer.TokenBytes(id));
            vocab[text] = id;
            idByBytes[text] = id;
        }
        var merges = new JsonArray();
        for (int id = 0; id < tokenizer.RegularCount; id++)
        {
            string text = ByteLevelAlphabet.Encode(tokenizer.TokenBytes(id));
            for (int cut = 1; cut < text.Length; cut++)
            {
                if (idByBytes.ContainsKey(text[..cut]) && idByBytes.ContainsKey(text[cut..]))
                {
                    merges.Add($"{text[..cut]} {text[cut..]}");
                }
            }
        }
        var added = new JsonArray();
        foreach (string special in tokenizer.SpecialTokens)
        {
            added.Add(new JsonObject
            {
                ["id"] = tokenizer.SpecialId(special), ["content"] = special, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = tokenizer.Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = merges,
            },
            ["levain"] = new JsonObject { ["id"] = tokenizer.Id, ["end_of_text"] = tokenizer.EndOfTextToken },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>Reads a byte-level BPE <c>tokenizer.json</c> (written by Levain or by Hugging Face tokenizers).</summary>
    public static BpeTokenizer Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(TextFileReader.ReadAll(path));
        }
        catch (JsonException e)
        {
            throw LmInputError.Data(path, $"not valid JSON ({e.Message.Split(". ")[0]})", (e.LineNumber ?? 0) + 1);
        }
        JsonObject model = root?["model"] as JsonObject ?? throw LmInputError.Data(path, "no 'model' object: not a tokenizer.json", field: "model");
        if (model["type"]?.GetValue<string>() is not "BPE")
        {
            throw LmInputError.Data(path, $"model type '{model["type"]}' is not BPE", field: "model.type");
        }
        if (!ContainsType(root!["pre_tokenizer"], "ByteLevel"))
        {
            throw LmInputError.Data(path, "not a byte-level BPE (no ByteLevel pre-tokenizer)", field: "pre_tokenizer");
        }
        var vocab = model["vocab"] as JsonObject ?? throw LmInputError.Data(path, "missing", field: "model.vocab");
        var tokens = new byte[vocab.Count][];
        foreach (var (text, idNode) in vocab)
        {
            int id = idNode?.GetValue<int>() ?? -1;
            if (id < 0 || id >= tokens.Length || tokens[id] is not null)
            {
                throw LmInputError.Data(path, $"token '{text}' has id {id}; regular ids must be 0..{tokens.Length - 1}, each once", field: "model.vocab");
            }
            tokens[id] = ByteLevelAlphabet.TryDecode(text) ?? throw LmInputError.Data(path, $"token '{text}' has a character outside the byte-level alphabet", field: "model.vocab");
        }
        var specials = new List<string>();
        foreach (JsonNode? added in root["added_tokens"] as JsonArray ?? [])
        {
            int id = added?["id"]?.GetValue<int>() ?? -1;
            string content = added?["content"]?.GetValue<string>() ?? "";
            if (id < tokens.Length && id >= 0 && ByteLevelAlphabet.TryDecode(content) is { } bytes && bytes.AsSpan().SequenceEqual(tokens[id]))
            {
                continue; // an added token that is also a regular one
            }
            if (id != tokens.Length + specials.Count)
            {
                throw LmInputError.Data(path, $"added token '{content}' has id {id}; special tokens must follow the {tokens.Length} regular ids in order", field: "added_tokens");
            }
            specials.Add(content);
        }
        string pattern = SplitPattern(root["pre_tokenizer"]) ?? PreTokenizerPatterns.Gpt2;
        string endOfText = root["levain"]?["end_of_text"]?.GetValue<string>()
            ?? (specials.Contains(BpeTokenizer.DefaultEndOfText) ? BpeTokenizer.DefaultEndOfText : specials.FirstOrDefault())
            ?? throw LmInputError.Data(path, "no special token to use as end-of-text", field: "added_tokens");
        try
        {
            return new BpeTokenizer(tokens, specials, pattern, endOfText);
        }
        catch (ArgumentException e)
        {
            throw LmInputError.Data(path, e.Message.Split(" (Parameter")[0]);
        }
    }

    private static bool ContainsType(JsonNode? node, string type) =>
        node?["type"]?.GetValue<string>() == type || (node?["pretokenizers"] as JsonArray ?? []).Any(n => ContainsType(n, type));

    private static string? SplitPattern(JsonNode? node)
    {
        if (node?["type"]?.GetValue<string>() == "Split" && node["pattern"]?["Regex"]?.GetValue<string>() is { } regex)
        {
            return regex;
        }
        return (node?["pretokenizers"] as JsonArray ?? []).Select(SplitPattern).FirstOrDefault(p => p is not null);
    }
}
