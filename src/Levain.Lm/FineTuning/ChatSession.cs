using Levain.Lm.FineTuning.Data;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Scoring;

namespace Levain.Lm.FineTuning;

/// <summary>
/// A conversation with a fine-tuned model through its template. A conversation template sends every turn so far
/// with role markers; a Dolly template sends each user message as a new instruction. Text streams out as it is
/// generated, never showing the end marker or a part of it (held back until it cannot be one) or half a character.
/// </summary>
public sealed class ChatSession
{
    private readonly CheckpointScorer _scorer;
    private readonly TemplateEncoder _encoder;
    private readonly List<ChatMessage> _history = [];

    public ChatSession(CheckpointScorer scorer, TemplateEncoder encoder, string? system = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(encoder);
        _scorer = scorer;
        _encoder = encoder;
        System = system;
    }

    public string? System { get; }

    public IReadOnlyList<ChatMessage> History => _history;

    public void Reset() => _history.Clear();

    /// <summary>Answers <paramref name="userText"/>, calling <paramref name="onText"/> with each new piece of visible text; returns the whole answer.</summary>
    public string Respond(string userText, Action<string> onText, int maxTokens, double temperature, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userText);
        ArgumentNullException.ThrowIfNull(onText);
        var template = _encoder.Template;
        int[] prompt;
        if (template.IsConversation)
        {
            var messages = new List<ChatMessage>();
            if (System is { Length: > 0 } system)
            {
                messages.Add(new ChatMessage(ChatMessage.System, system));
            }
            messages.AddRange(_history);
            messages.Add(new ChatMessage(ChatMessage.User, userText));
            prompt = _encoder.EncodeChatPrompt(messages);
        }
        else
        {
            prompt = _encoder.EncodePrompt(userText, "");
        }
        int shown = 0;
        string answer = "";
        _scorer.GenerateStreaming(prompt, maxTokens, temperature, seed, tokens =>
        {
            string text = _encoder.Tokenizer.Decode(tokens);
            int end = text.IndexOf(template.End, StringComparison.Ordinal);
            answer = end >= 0 ? text[..end] : text;
            string visible = end >= 0 ? answer : Visible(text, template.End);
            if (visible.Length > shown)
            {
                onText(visible[shown..]);
                shown = visible.Length;
            }
            return end >= 0;
        }, cancellationToken);
        if (answer.Length > shown)
        {
            onText(answer[shown..].TrimEnd('\uFFFD'));
        }
        _history.Add(new ChatMessage(ChatMessage.User, userText));
        _history.Add(new ChatMessage(ChatMessage.Assistant, answer));
        return answer;
    }

    // Holds back an unfinished UTF-8 character (decoded as U+FFFD) and any suffix that may be the start of the end marker.
    internal static string Visible(string text, string endMarker)
    {
        string visible = text.TrimEnd('\uFFFD');
        for (int length = Math.Min(endMarker.Length - 1, visible.Length); length > 0; length--)
        {
            if (visible.EndsWith(endMarker[..length], StringComparison.Ordinal))
            {
                return visible[..^length];
            }
        }
        return visible;
    }
}
