namespace Levain.Lm.FineTuning.Data;

/// <summary>
/// One line of fine-tuning data: Dolly fields (<see cref="Messages"/> null) or a chat (<see cref="Messages"/> set,
/// Dolly fields empty). <see cref="Group"/> decides the held-out split (the <c>group</c> field when present, else the
/// prompt text); <see cref="Choices"/> is how many answers a guess picks among (0 where chance is undefined).
/// </summary>
public sealed record FineTuneExample(
    string Instruction,
    string Context,
    string Response,
    string Category,
    IReadOnlyList<ChatMessage>? Messages,
    string Group,
    int Choices,
    int Line)
{
    public bool IsChat => Messages is not null;

    public static FineTuneExample Dolly(string instruction, string context, string response, string category = "", int line = 0) =>
        new(instruction, context, response, category, null, instruction + "\n" + context, 0, line);

    public static FineTuneExample Chat(IReadOnlyList<ChatMessage> messages, string category = "", int line = 0) =>
        new("", "", messages.LastOrDefault(m => m.Role == ChatMessage.Assistant)?.Content ?? "", category, messages,
            string.Join("\n", messages.Take(messages.Count - 1).Select(m => m.Role + ":" + m.Content)), 0, line);
}
