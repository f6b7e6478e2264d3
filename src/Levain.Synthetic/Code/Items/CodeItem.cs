namespace Levain.Synthetic.Code.Items;

/// <summary>
/// A four-way multiple-choice code-comprehension item. A scorer compares the log-likelihood of
/// <c>" " + Choices[i]</c> as a continuation of <see cref="Context"/>; <c>Context + " " + Choices[Gold] + "\n"</c>
/// is exactly the training-document form of the same question (<see cref="CodeTextFormat"/>).
/// </summary>
/// <param name="Id">Stable id, e.g. <c>code-cloze-1000000007</c>.</param>
/// <param name="Form">Which question is asked.</param>
/// <param name="Context">Prompt text ending just before the answer (e.g. <c>...\n# Output:</c>).</param>
/// <param name="Choices">Four distinct answers, without the leading space.</param>
/// <param name="Gold">Index of the correct choice.</param>
/// <param name="ProgramHash"><see cref="Code.ProgramHash"/> of the complete program (hole filled).</param>
/// <param name="ProgramText">The complete program (hole filled).</param>
/// <param name="Provenance">Generator name, version, seed and parameters.</param>
public sealed record CodeItem(
    string Id,
    CodeItemForm Form,
    string Context,
    IReadOnlyList<string> Choices,
    int Gold,
    string ProgramHash,
    string ProgramText,
    GeneratorProvenance Provenance)
{
    /// <summary>docs/evals.md's form name: <c>eval</c> or <c>cloze</c>.</summary>
    public string FormName => Form == CodeItemForm.Cloze ? "cloze" : "eval";

    /// <summary>The correct choice.</summary>
    public string Answer => Choices[Gold];
}
