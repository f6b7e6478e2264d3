using Levain.Synthetic.Code.Items;
using Levain.Synthetic.Randomness;

namespace Levain.Synthetic.Code.Corpus;

/// <summary>
/// The infinite, deterministic training stream: document n comes from training seed <c>StartSeed + n</c> (skipped
/// when its program is held out), with its difficulty and form drawn from that seed. Every document is written
/// exactly as an item's context followed by <c>" " + answer + "\n"</c>, so the model learns the evaluated task.
/// The stream ends only when the training seed range is exhausted (a billion seeds).
/// </summary>
public static class TrainingCorpus
{
    /// <summary>Document texts.</summary>
    public static IEnumerable<string> Documents(TrainingCorpusOptions options) =>
        Examples(options).Select(document => document.Text);

    /// <summary>Documents with their program hash, seed, difficulty and form.</summary>
    public static IEnumerable<TrainingDocument> Examples(TrainingCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Stream(options);
    }

    /// <summary>The document of one training seed, or null when that seed's program is held out.</summary>
    public static TrainingDocument? DocumentAt(TrainingCorpusOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SeedRanges.Training.Contains(seed))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "Training documents come from SeedRanges.Training.");
        }

        var random = new SyntheticRandom(unchecked((seed * 1_103_515_245) ^ 0x3C6EF372));
        var component = Pick(options.Mix, c => c.Weight, random);
        var forms = new[] { CodeItemForm.EvalOutput, CodeItemForm.EvalVariable, CodeItemForm.Cloze };
        var form = forms[PickIndex(options.FormWeights, random)];
        var generated = ProgramGenerator.Generate(component.Options, seed);
        if (options.Guard?.IsHeldOut(generated.Hash) == true)
        {
            return null;
        }

        var itemOptions = new CodeItemOptions { Program = component.Options, DistractorSpread = options.DistractorSpread };
        var provenance = new GeneratorProvenance(CodeItemGenerator.Name, CodeItemGenerator.Version, seed,
            new Dictionary<string, string>());
        // A program that cannot carry the drawn question (say, no hole changes its output) is written as an
        // output question instead: the program itself is what the seed decides.
        var item = CodeItemBuilder.TryBuild(generated, form, itemOptions, random, provenance, withDistractors: false)
                   ?? CodeItemBuilder.TryBuild(generated, CodeItemForm.EvalOutput, itemOptions, random, provenance, withDistractors: false)!;
        var text = CodeTextFormat.Document(item.Context, item.Answer);
        if (options.FollowUpQuestions > 0)
        {
            text += FollowUps(generated, item, options.FollowUpQuestions, random);
        }

        return new TrainingDocument(text, generated.Hash, seed, component.Options.Name, item.Form);
    }

    // "# Value of v: x" lines for other variables of the program, in a seeded order, each written as the variable
    // question's context would end plus its answer.
    private static string FollowUps(GeneratedProgram generated, CodeItem item, int most, Random random)
    {
        string Question(string name) => CodeTextFormat.EvalVariableContext(string.Empty, name);
        // The variable the document already asked about (its context ends with that question) is not asked again.
        var others = CodeItemBuilder.AskableVariables(generated)
            .Where(name => !item.Context.EndsWith(Question(name), StringComparison.Ordinal)).ToList();
        NearbyAnswers.Shuffle(others, random);
        var lines = new System.Text.StringBuilder();
        foreach (var name in others.Take(most))
        {
            lines.Append(CodeTextFormat.Document(Question(name), generated.Result.ValueOf(name)!.ToPythonText()));
        }

        return lines.ToString();
    }

    private static IEnumerable<TrainingDocument> Stream(TrainingCorpusOptions options)
    {
        for (long seed = options.StartSeed; seed < SeedRanges.Training.End; seed++)
        {
            if (DocumentAt(options, (int)seed) is { } document)
            {
                yield return document;
            }
        }
    }

    private static T Pick<T>(IReadOnlyList<T> items, Func<T, double> weight, Random random) =>
        items[PickIndex(items.Select(weight).ToList(), random)];

    private static int PickIndex(IReadOnlyList<double> weights, Random random)
    {
        var roll = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }
}
