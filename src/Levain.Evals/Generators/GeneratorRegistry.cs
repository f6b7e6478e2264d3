using Levain.Synthetic.Code.Items;

namespace Levain.Evals.Generators;

/// <summary>The procedural benchmarks a task can name with <c>generator:</c> or on the command line.</summary>
public static class GeneratorRegistry
{
    public static IReadOnlyList<IItemGenerator> All { get; } =
    [
        new CodeComprehensionGenerator("code", [CodeItemForm.EvalOutput, CodeItemForm.EvalVariable, CodeItemForm.Cloze], "code comprehension, eval and cloze forms mixed"),
        new CodeComprehensionGenerator("code-eval", [CodeItemForm.EvalOutput, CodeItemForm.EvalVariable], "code comprehension: what does the program print / what is x at the end"),
        new CodeComprehensionGenerator("code-cloze", [CodeItemForm.Cloze], "code comprehension: which value in the hole produces the output"),
        new LongContextRetrievalGenerator(),
    ];

    public static IItemGenerator? Find(string name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}
