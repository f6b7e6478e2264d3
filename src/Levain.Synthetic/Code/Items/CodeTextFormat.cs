using System.Globalization;

namespace Levain.Synthetic.Code.Items;

/// <summary>
/// The textual conventions shared by items and training documents, so a model trained on the corpus has seen the
/// exact prompt form it is evaluated on. A document is always <c>context + " " + answer + "\n"</c>.
/// <code>
/// eval (output):    PROGRAM# Output: 7
/// eval (variable):  PROGRAM# Value of s: 12
/// cloze:            PROGRAM-WITH-??# Output: 7\n# ?? = 3
/// </code>
/// Multi-line output keeps its newlines (<c># Output: 1\n2</c>).
/// </summary>
public static class CodeTextFormat
{
    public const string OutputMarker = "# Output:";

    /// <summary>
    /// Ends every answer in a document. Scorers that compare numeric answers should score <c>" " + choice + AnswerTerminator</c>,
    /// so a choice that is a prefix of another ("1" of "12") is not favoured for being shorter.
    /// </summary>
    public const string AnswerTerminator = "\n";

    public const string ClozeMarker = "# " + ProgramPrinter.HoleText + " =";

    public static string EvalOutputContext(string programText) => programText + OutputMarker;

    public static string EvalVariableContext(string programText, string variable) =>
        $"{programText}# Value of {variable}:";

    public static string ClozeContext(string programTextWithHole, string outputText) =>
        $"{programTextWithHole}{OutputMarker} {outputText}\n{ClozeMarker}";

    /// <summary>A training document: the context followed by the answer as the scorer sees it.</summary>
    public static string Document(string context, string answer) => context + " " + answer + AnswerTerminator;

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
