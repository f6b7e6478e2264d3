using Levain.Core;
using Levain.Lm;
using System.CommandLine;
using Levain.Evals.Tasks;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Data;
using Levain.Lm.FineTuning.Templates;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain eval --template</c>: every prompt is wrapped as an instruction in a fine-tuning template (the same text
/// <c>levain finetune</c> trained on before each response), answers are scored right after it, and generation stops at
/// the template's end marker.
/// </summary>
public static class EvalTemplateOption
{
    public static Option<string?> Create() => new("--template")
    {
        Description = "Wrap each prompt as an instruction in a fine-tuning template: 'model' (the --model checkpoint's template.json), " +
            "dolly, dolly-compact, chat, or a template JSON file (not dolly-eot: its end marker is a special token). Answers are scored right after the template's response marker; " +
            "generation stops at its end marker. Not with --chat (the server applies its own template).",
    };

    /// <summary>The instruction format for <paramref name="template"/>, or null when none was asked for.</summary>
    /// <exception cref="InputException">The template file is malformed, 'model' has no checkpoint, or the template needs special tokens.</exception>
    public static InstructionFormat? Resolve(string? template, string? modelDirectory)
    {
        if (template is null)
        {
            return null;
        }
        PromptTemplate resolved;
        if (template == "model")
        {
            resolved = modelDirectory is null
                ? throw LmInputError.FineTune("--template", 0, "template", "'model' reads the template.json of a --model checkpoint; give a template name or file with --endpoint")
                : PromptTemplate.ReadFrom(modelDirectory) ?? throw LmInputError.FineTune(modelDirectory, 0, "template.json",
                    "the checkpoint has no template.json (it was not made by levain finetune); give --template dolly, chat or a file");
        }
        else
        {
            resolved = PromptTemplate.Resolve(template);
        }
        if (resolved.SpecialTokens.Count > 0)
        {
            throw LmInputError.FineTune(template, 0, "special_tokens",
                $"template '{resolved.Name}' encodes markers as special tokens ({string.Join(", ", resolved.SpecialTokens)}), which eval prompts (plain text) cannot carry; use a template with plain-text markers");
        }
        return new InstructionFormat(resolved.Name, prompt => Wrap(resolved, prompt), resolved.End);
    }

    /// <summary>The prompt as a Dolly instruction, or as one user turn of a chat template, ending where the response begins.</summary>
    public static string Wrap(PromptTemplate template, string prompt) =>
        string.Concat((template.IsConversation
            ? template.RenderChatPrompt([new ChatMessage(ChatMessage.User, prompt)])
            : template.RenderPrompt(prompt, "")).Select(s => s.Text));
}
