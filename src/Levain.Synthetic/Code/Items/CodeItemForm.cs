namespace Levain.Synthetic.Code.Items;

/// <summary>The question a code-comprehension item asks (docs/evals.md: forms <c>eval</c> and <c>cloze</c>).</summary>
public enum CodeItemForm
{
    /// <summary><c>eval</c>: what does the program print?</summary>
    EvalOutput,

    /// <summary><c>eval</c>: what is the value of a variable when the program ends?</summary>
    EvalVariable,

    /// <summary><c>cloze</c>: which value in the hole <c>??</c> produces the shown output?</summary>
    Cloze,
}
