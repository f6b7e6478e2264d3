using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Tests.Code.Items;

/// <summary>Recomputes an item's answers from its text alone: parse, fill, interpret.</summary>
internal static class ItemOracle
{
    /// <summary>The indices of the choices that are correct answers to the item's question.</summary>
    public static IReadOnlyList<int> CorrectChoices(CodeItem item)
    {
        var correct = new List<int>();
        for (var i = 0; i < item.Choices.Count; i++)
        {
            if (IsCorrect(item.Form, item.Context, item.Choices[i]))
            {
                correct.Add(i);
            }
        }

        return correct;
    }

    /// <summary>Whether <paramref name="answer"/> answers the question in <paramref name="context"/>.</summary>
    public static bool IsCorrect(CodeItemForm form, string context, string answer)
    {
        switch (form)
        {
            case CodeItemForm.EvalOutput:
            {
                var program = Before(context, CodeTextFormat.OutputMarker);
                return Run(program).OutputText == answer;
            }

            case CodeItemForm.EvalVariable:
            {
                var marker = context.LastIndexOf("# Value of ", StringComparison.Ordinal);
                var variable = context[(marker + "# Value of ".Length)..^1];
                return Run(context[..marker]).ValueOf(variable)?.ToPythonText() == answer;
            }

            default:
            {
                var holed = Before(context, CodeTextFormat.OutputMarker);
                var shownOutput = context[(holed.Length + CodeTextFormat.OutputMarker.Length + 1)..^(CodeTextFormat.ClozeMarker.Length + 1)];
                return Run(holed.Replace(ProgramPrinter.HoleText, answer, StringComparison.Ordinal)) is { IsSuccess: true } result
                       && result.OutputText == shownOutput;
            }
        }
    }

    /// <summary>The complete program an item or document shows, with the hole filled by <paramref name="answer"/>.</summary>
    public static string CompleteProgram(CodeItemForm form, string context, string answer) => form switch
    {
        CodeItemForm.EvalVariable => context[..context.LastIndexOf("# Value of ", StringComparison.Ordinal)],
        CodeItemForm.EvalOutput => Before(context, CodeTextFormat.OutputMarker),
        _ => Before(context, CodeTextFormat.OutputMarker).Replace(ProgramPrinter.HoleText, answer, StringComparison.Ordinal),
    };

    private static string Before(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' missing from:\n{text}");
        return text[..at];
    }

    private static ExecutionResult Run(string programText)
    {
        var parsed = ProgramParser.Parse(programText);
        Assert.True(parsed.IsSuccess, $"line {parsed.ErrorLine}: {parsed.Error}\n{programText}");
        return Interpreter.Run(parsed.Program!);
    }
}
