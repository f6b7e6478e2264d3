using Levain.Core;
using System.CommandLine;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Tokenization;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain generate --template</c>: wraps the prompt in a fine-tuned model's template (as an instruction) and stops at
/// its end marker. Kept in its own file so the generate command adds one option and one call:
/// <c>if (TemplatedPrompt(...) is { } t) { promptTokens = t.Tokens; stops.Add(t.Stop); }</c>.
/// </summary>
public static class GenerateTemplateOption
{
    public static Option<string?> Create() => new("--template")
    {
        Description = "Wrap --prompt as an instruction in a template and stop at its end marker: 'model' (the model's template.json), dolly, dolly-compact, dolly-eot, chat, or a template JSON file.",
    };

    /// <summary>The templated prompt's tokens and the stop string, or null when no template was asked for.</summary>
    /// <exception cref="InputException">A template file is malformed, or lists special tokens the tokenizer lacks.</exception>
    public static (IReadOnlyList<int> Tokens, string Stop)? TemplatedPrompt(string? template, string modelDirectory, ITextTokenizer tokenizer, string prompt)
    {
        if (template is null)
        {
            return null;
        }
        var resolved = template == "model"
            ? PromptTemplate.ReadFrom(modelDirectory) ?? PromptTemplate.Dolly
            : PromptTemplate.Resolve(template);
        var encoder = new TemplateEncoder(resolved, tokenizer, modelDirectory);
        return (encoder.EncodePrompt(prompt, ""), resolved.End);
    }
}
