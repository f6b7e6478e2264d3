using Levain.Core;
using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Lm.FineTuning.Data;

namespace Levain.Lm.FineTuning.Templates;

/// <summary>
/// How an example becomes text. Dolly examples render as
/// <c>preamble + instruction_marker + instruction [+ context_marker + context] + response_marker | response + end</c>;
/// chat examples as one <c>role marker + content + turn_end</c> per system/user turn and
/// <c>assistant_marker | content + end</c> per assistant turn. Text after <c>|</c> is what the model is trained to
/// produce (loss on it only); everything before is masked. Generation stops at <see cref="End"/>.
/// Markers listed in <see cref="SpecialTokens"/> must each be one token of the model's tokenizer; other markers are
/// plain text and work with any tokenizer. Saved beside a fine-tuned checkpoint as <c>template.json</c>.
/// </summary>
public sealed record PromptTemplate
{
    public const string FileName = "template.json";

    [JsonPropertyName("name")] public string Name { get; init; } = "dolly";

    [JsonPropertyName("preamble")] public string Preamble { get; init; } = "";

    [JsonPropertyName("instruction_marker")] public string InstructionMarker { get; init; } = "### Instruction:\n";

    [JsonPropertyName("context_marker")] public string ContextMarker { get; init; } = "\n\nInput:\n";

    [JsonPropertyName("response_marker")] public string ResponseMarker { get; init; } = "\n\n### Response:\n";

    [JsonPropertyName("end")] public string End { get; init; } = "\n\n### End";

    [JsonPropertyName("system_marker")] public string SystemMarker { get; init; } = "<|system|>\n";

    [JsonPropertyName("user_marker")] public string UserMarker { get; init; } = "<|user|>\n";

    [JsonPropertyName("assistant_marker")] public string AssistantMarker { get; init; } = "<|assistant|>\n";

    [JsonPropertyName("turn_end")] public string TurnEnd { get; init; } = "\n";

    [JsonPropertyName("special_tokens")] public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>True for chat templates: <c>levain chat</c> then sends the whole conversation with role markers; otherwise each message is a new Dolly instruction.</summary>
    [JsonPropertyName("conversation")] public bool IsConversation { get; init; }

    /// <summary>databricks-dolly-15k's training format (Alpaca-style), plain-text markers, "### End" as the end marker.</summary>
    public static PromptTemplate Dolly { get; } = new()
    {
        Name = "dolly",
        Preamble = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n",
    };

    /// <summary>Dolly's markers without the preamble sentence: ~110 fewer bytes per example for small contexts.</summary>
    public static PromptTemplate DollyCompact { get; } = new() { Name = "dolly-compact" };

    /// <summary>
    /// dolly-compact's markers with the tokenizer's end-of-text token as the end of a response: one token, where a small
    /// byte-level model easily miscounts the '#' of "### End" and never stops (Dolly's own training made "### End" one
    /// special token too). Works with every tokenizer, since each has end-of-text.
    /// </summary>
    public static PromptTemplate DollyEot { get; } = new() { Name = "dolly-eot", End = SpecialTokenIds.EndOfText, SpecialTokens = [SpecialTokenIds.EndOfText] };

    /// <summary>Role markers (<c>&lt;|user|&gt;</c> …) as plain text, <c>&lt;|end|&gt;</c> after each assistant turn.</summary>
    public static PromptTemplate Chat { get; } = new() { Name = "chat", End = "<|end|>\n", IsConversation = true };

    public static IReadOnlyList<PromptTemplate> BuiltIn { get; } = [Dolly, DollyCompact, DollyEot, Chat];

    /// <summary>The segments of a whole example: prompt parts masked, responses and end markers trained.</summary>
    public IReadOnlyList<TemplateSegment> Render(FineTuneExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (example.Messages is { } messages)
        {
            var segments = new List<TemplateSegment>();
            foreach (var message in messages)
            {
                if (message.Role == ChatMessage.Assistant)
                {
                    segments.Add(new(AssistantMarker, false));
                    segments.Add(new(message.Content + End, true));
                }
                else
                {
                    segments.Add(new((message.Role == ChatMessage.System ? SystemMarker : UserMarker) + message.Content + TurnEnd, false));
                }
            }
            return Merge(segments);
        }
        return Merge([.. RenderPrompt(example.Instruction, example.Context), new(example.Response + End, true)]);
    }

    /// <summary>The prompt of a Dolly example, ending with the response marker (what generation continues).</summary>
    public IReadOnlyList<TemplateSegment> RenderPrompt(string instruction, string context)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(context);
        string text = Preamble + InstructionMarker + instruction + (context.Length > 0 ? ContextMarker + context : "") + ResponseMarker;
        return [new(text, false)];
    }

    /// <summary>The prompt of a conversation so far, ending with the assistant marker.</summary>
    public IReadOnlyList<TemplateSegment> RenderChatPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var segments = Render(FineTuneExample.Chat(messages)).Select(s => s with { IsTrained = false }).ToList();
        segments.Add(new(AssistantMarker, false));
        return Merge(segments);
    }

    /// <summary>The response of a rendered Dolly example (the inverse of <see cref="Render"/>); null when the text lacks the markers.</summary>
    public string? ParseResponse(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        int start = rendered.IndexOf(ResponseMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += ResponseMarker.Length;
        int end = rendered.IndexOf(End, start, StringComparison.Ordinal);
        return end < 0 ? null : rendered[start..end];
    }

    /// <summary>Generated text cut before the end marker (or whole, when the model never wrote it).</summary>
    public string CutAtEnd(string generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        int at = generated.IndexOf(End, StringComparison.Ordinal);
        return at < 0 ? generated : generated[..at];
    }

    /// <summary>A built-in template name or a JSON file of fields (unset fields keep the Dolly defaults).</summary>
    public static PromptTemplate Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (BuiltIn.FirstOrDefault(t => t.Name == nameOrPath) is { } builtIn)
        {
            return builtIn;
        }
        if (!File.Exists(nameOrPath))
        {
            throw LmInputError.FineTune(nameOrPath, 0, "template",
                $"neither a built-in template ({string.Join(", ", BuiltIn.Select(t => t.Name))}) nor a file");
        }
        return Read(nameOrPath);
    }

    public static PromptTemplate Read(string path)
    {
        PromptTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize<PromptTemplate>(File.ReadAllText(path), new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow });
        }
        catch (JsonException e)
        {
            string field = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "template";
            throw LmInputError.FineTune(path, (int)(e.LineNumber ?? 0) + 1, field, e.Message.Split(". ")[0]);
        }
        if (template is null)
        {
            throw LmInputError.FineTune(path, 1, "template", "expected a JSON object");
        }
        template.Validate(path);
        return template;
    }

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The template saved in a checkpoint directory, or null when it has none.</summary>
    public static PromptTemplate? ReadFrom(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Read(path) : null;
    }

    private void Validate(string path)
    {
        if (string.IsNullOrEmpty(End))
        {
            throw LmInputError.FineTune(path, 0, "end", "the end-of-response marker must not be empty (generation stops at it)");
        }
        if (string.IsNullOrEmpty(ResponseMarker) || string.IsNullOrEmpty(AssistantMarker))
        {
            throw LmInputError.FineTune(path, 0, string.IsNullOrEmpty(ResponseMarker) ? "response_marker" : "assistant_marker", "must not be empty");
        }
        foreach (string special in SpecialTokens)
        {
            if (string.IsNullOrEmpty(special))
            {
                throw LmInputError.FineTune(path, 0, "special_tokens", "an entry is empty");
            }
        }
    }

    // Adjacent segments with the same flag become one, so each is tokenized as a whole.
    private static List<TemplateSegment> Merge(IEnumerable<TemplateSegment> segments)
    {
        var merged = new List<TemplateSegment>();
        foreach (var segment in segments)
        {
            if (segment.Text.Length == 0)
            {
                continue;
            }
            if (merged.Count > 0 && merged[^1].IsTrained == segment.IsTrained)
            {
                merged[^1] = new(merged[^1].Text + segment.Text, segment.IsTrained);
            }
            else
            {
                merged.Add(segment);
            }
        }
        return merged;
    }
}
