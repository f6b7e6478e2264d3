using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code.Items;

/// <summary>Turns one generated program into one item of a requested form, or reports that it cannot.</summary>
internal static class CodeItemBuilder
{
    private const int ChoiceCount = 4;

    /// <summary>
    /// The item, or null when this program cannot carry the form. Without <paramref name="withDistractors"/> the
    /// item has the gold as its only choice (training documents need nothing else, and skip the mutant runs).
    /// </summary>
    public static CodeItem? TryBuild(
        GeneratedProgram generated, CodeItemForm form, CodeItemOptions options, Random random, GeneratorProvenance provenance,
        bool withDistractors = true)
    {
        var id = $"code-{FormSlug(form)}-{generated.Seed}";
        return form switch
        {
            CodeItemForm.EvalOutput => TryEval(generated, options, random, provenance, id, variable: null, withDistractors),
            CodeItemForm.EvalVariable => PickVariable(generated, random) is { } variable
                ? TryEval(generated, options, random, provenance, id, variable, withDistractors)
                : null,
            CodeItemForm.Cloze => TryCloze(generated, options, random, provenance, id),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown item form."),
        };
    }

    public static string FormSlug(CodeItemForm form) => form switch
    {
        CodeItemForm.EvalOutput => "eval-output",
        CodeItemForm.EvalVariable => "eval-variable",
        _ => "cloze",
    };

    private static string? PickVariable(GeneratedProgram generated, Random random)
    {
        var names = AskableVariables(generated);
        return names.Count == 0 ? null : names[random.Next(names.Count)];
    }

    /// <summary>The variables a "Value of" question may ask about: every final variable except loop variables.</summary>
    public static IReadOnlyList<string> AskableVariables(GeneratedProgram generated)
    {
        var loopVariables = SyntaxRewriter.Statements(generated.Program).OfType<ForStatement>()
            .Select(loop => loop.Variable).ToHashSet(StringComparer.Ordinal);
        return generated.Result.FinalVariables.Select(pair => pair.Key).Where(n => !loopVariables.Contains(n)).ToArray();
    }

    private static CodeItem? TryEval(
        GeneratedProgram generated, CodeItemOptions options, Random random, GeneratorProvenance provenance, string id,
        string? variable, bool withDistractors)
    {
        string? AnswerOf(ExecutionResult result) =>
            !result.IsSuccess ? null
            : variable is null ? (result.OutputLines.Count > 0 ? result.OutputText : null)
            : result.ValueOf(variable)?.ToPythonText();

        var gold = AnswerOf(generated.Result)!;
        var context = variable is null
            ? CodeTextFormat.EvalOutputContext(generated.Text)
            : CodeTextFormat.EvalVariableContext(generated.Text, variable);
        var form = variable is null ? CodeItemForm.EvalOutput : CodeItemForm.EvalVariable;
        if (!withDistractors)
        {
            return new CodeItem(id, form, context, [gold], 0, generated.Hash, generated.Text, provenance);
        }

        var limits = ProgramGenerator.LimitsFor(options.Program);
        var distractors = new List<string>();
        var mutants = ProgramMutations.All(generated.Program);
        NearbyAnswers.Shuffle(mutants, random);
        foreach (var mutant in mutants)
        {
            if (distractors.Count == ChoiceCount - 1)
            {
                break;
            }

            var answer = AnswerOf(Interpreter.Run(mutant, limits));
            if (answer is not null && IsPlausible(answer, gold) && answer != gold && !distractors.Contains(answer))
            {
                distractors.Add(answer);
            }
        }

        foreach (var answer in NearbyAnswers.Of(gold, options.DistractorSpread, random))
        {
            if (distractors.Count == ChoiceCount - 1)
            {
                break;
            }

            if (answer != gold && !distractors.Contains(answer))
            {
                distractors.Add(answer);
            }
        }

        if (distractors.Count < ChoiceCount - 1)
        {
            return null;
        }

        return Assemble(generated, form, context, gold, distractors, random, provenance, id);
    }

    private static CodeItem? TryCloze(
        GeneratedProgram generated, CodeItemOptions options, Random random, GeneratorProvenance provenance, string id)
    {
        var literals = SyntaxRewriter.Literals(generated.Program);
        var sites = Enumerable.Range(0, literals.Count).ToList();
        NearbyAnswers.Shuffle(sites, random);
        var limits = ProgramGenerator.LimitsFor(options.Program);
        var output = generated.Result.OutputText;
        foreach (var site in sites)
        {
            var gold = literals[site];
            var distractors = new List<string>();
            foreach (var value in HoleCandidates(gold, options, random))
            {
                var filled = SyntaxRewriter.ReplaceLiteral(generated.Program, site, new IntLiteral(value));
                var result = Interpreter.Run(filled, limits);
                // Only values that run and visibly change the output: the gold is then the unique choice that
                // reproduces it.
                if (result.IsSuccess && result.OutputText != output)
                {
                    distractors.Add(CodeTextFormat.Integer(value));
                    if (distractors.Count == ChoiceCount - 1)
                    {
                        break;
                    }
                }
            }

            if (distractors.Count < ChoiceCount - 1)
            {
                continue;
            }

            var holed = SyntaxRewriter.ReplaceLiteral(generated.Program, site, new HoleExpr());
            var context = CodeTextFormat.ClozeContext(ProgramPrinter.Print(holed), output);
            return Assemble(generated, CodeItemForm.Cloze, context, CodeTextFormat.Integer(gold), distractors, random,
                provenance, id);
        }

        return null;
    }

    private static IEnumerable<long> HoleCandidates(long gold, CodeItemOptions options, Random random)
    {
        var allowNegative = gold < 0 || options.Program.MinLiteral < 0;
        return NearbyAnswers.PlannedDeltas(options.DistractorSpread, random)
            .Select(delta => gold + delta)
            .Where(value => value >= 0 || allowNegative)
            .Take(4 * (options.DistractorSpread + 4));
    }

    // A mutant that prints ten lines is not a believable answer to a one-line question.
    private static bool IsPlausible(string answer, string gold) =>
        answer.Length <= (2 * gold.Length) + 6 && answer.Count(c => c == '\n') == gold.Count(c => c == '\n');

    private static CodeItem Assemble(
        GeneratedProgram generated, CodeItemForm form, string context, string gold, List<string> distractors,
        Random random, GeneratorProvenance provenance, string id)
    {
        NearbyAnswers.Shuffle(distractors, random);
        var goldIndex = random.Next(ChoiceCount);
        var choices = new List<string>(distractors);
        choices.Insert(goldIndex, gold);
        return new CodeItem(id, form, context, choices, goldIndex, generated.Hash, generated.Text, provenance);
    }
}
