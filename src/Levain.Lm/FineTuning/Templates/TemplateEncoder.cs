using Levain.Core;
using Levain.Lm.FineTuning.Data;
using Levain.Lm.Tokenization;

namespace Levain.Lm.FineTuning.Templates;

/// <summary>
/// Renders examples with a template and tokenizes them segment by segment, so every token knows whether it belongs to
/// the prompt (masked) or the response (trained). Markers listed as special tokens become their single ids; the
/// constructor refuses a tokenizer that lacks one.
/// </summary>
public sealed class TemplateEncoder
{
    private readonly ITextTokenizer _tokenizer;
    private readonly Dictionary<string, int> _specialIds = new(StringComparer.Ordinal);

    /// <param name="modelSource">Where the tokenizer comes from (a checkpoint's config.json), for the error message.</param>
    public TemplateEncoder(PromptTemplate template, ITextTokenizer tokenizer, string modelSource)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Template = template;
        _tokenizer = tokenizer;
        foreach (string special in template.SpecialTokens)
        {
            _specialIds[special] = SpecialTokenIds.Find(tokenizer, special)
                ?? throw LmInputError.FineTune(modelSource, 0, "tokenizer",
                    $"tokenizer '{tokenizer.Id}' has no special token '{special}', which template '{template.Name}' lists in special_tokens " +
                    "(train a tokenizer with that special token, or use a template whose markers are plain text)");
        }
    }

    public PromptTemplate Template { get; }

    public ITextTokenizer Tokenizer => _tokenizer;

    public EncodedExample Encode(FineTuneExample example)
    {
        var tokens = new List<int>();
        var trained = new List<bool>();
        foreach (var segment in Template.Render(example))
        {
            foreach (int id in EncodeText(segment.Text))
            {
                tokens.Add(id);
                trained.Add(segment.IsTrained);
            }
        }
        return new EncodedExample([.. tokens], [.. trained], example);
    }

    /// <summary>The prompt of a Dolly example (for generation), tokenized as in training.</summary>
    public int[] EncodePrompt(string instruction, string context) =>
        [.. Template.RenderPrompt(instruction, context).SelectMany(s => EncodeText(s.Text))];

    /// <summary>The prompt of a conversation (ending with the assistant marker), tokenized as in training.</summary>
    public int[] EncodeChatPrompt(IReadOnlyList<ChatMessage> messages) =>
        [.. Template.RenderChatPrompt(messages).SelectMany(s => EncodeText(s.Text))];

    /// <summary>Text with every special-token marker replaced by its id and the rest tokenized normally.</summary>
    public List<int> EncodeText(string text)
    {
        var ids = new List<int>();
        int start = 0;
        while (start < text.Length)
        {
            int next = -1;
            string? found = null;
            foreach (string special in _specialIds.Keys)
            {
                int at = text.IndexOf(special, start, StringComparison.Ordinal);
                if (at >= 0 && (next < 0 || at < next || (at == next && special.Length > found!.Length)))
                {
                    next = at;
                    found = special;
                }
            }
            int end = next < 0 ? text.Length : next;
            if (end > start)
            {
                ids.AddRange(_tokenizer.Encode(text[start..end]));
            }
            if (found is null)
            {
                break;
            }
            ids.Add(_specialIds[found]);
            start = next + found.Length;
        }
        return ids;
    }
}
