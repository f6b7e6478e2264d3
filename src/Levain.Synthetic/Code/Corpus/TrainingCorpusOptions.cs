using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Code.Corpus;

/// <summary>What the training stream contains.</summary>
public sealed record TrainingCorpusOptions
{
    /// <summary>Difficulties and their weights (normalised; need not sum to 1).</summary>
    public IReadOnlyList<MixComponent> Mix { get; init; } = [new(GeneratorOptions.Easy, 1.0)];

    /// <summary>Relative weights of the forms, in the order EvalOutput, EvalVariable, Cloze.</summary>
    public IReadOnlyList<double> FormWeights { get; init; } = [0.5, 0.25, 0.25];

    /// <summary>The first seed; must lie in <see cref="SeedRanges.Training"/>.</summary>
    public int StartSeed { get; init; } = SeedRanges.Training.Start;

    /// <summary>When set, documents whose program is held out are skipped.</summary>
    public HeldOutGuard? Guard { get; init; }

    /// <summary>
    /// Most extra <c># Value of v: x</c> lines appended after the document's answer, one per other variable of the
    /// program (0 = one question per document). The document still begins with exactly an item's context and answer;
    /// the follow-ups add supervised answers about the same program at no extra program text.
    /// </summary>
    public int FollowUpQuestions { get; init; }

    /// <summary>Distractor knob of the item builder (documents carry only the gold answer, but share its code path).</summary>
    public int DistractorSpread { get; init; } = 3;

    /// <summary>Easy programs only (the demo's default).</summary>
    public static TrainingCorpusOptions Easy { get; } = new();

    /// <summary>60% easy, 30% medium, 10% hard.</summary>
    public static TrainingCorpusOptions Mixed { get; } = new()
    {
        Mix = [new(GeneratorOptions.Easy, 0.6), new(GeneratorOptions.Medium, 0.3), new(GeneratorOptions.Hard, 0.1)],
    };

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfZero(Mix.Count, nameof(Mix));
        foreach (var component in Mix)
        {
            component.Options.Validate();
            ArgumentOutOfRangeException.ThrowIfNegative(component.Weight, nameof(Mix));
        }

        if (Mix.Sum(c => c.Weight) <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Mix), "The mix weights must not all be zero.");
        }

        if (FormWeights.Count != 3 || FormWeights.Any(w => w < 0) || FormWeights.Sum() <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FormWeights), "Give three non-negative weights, not all zero.");
        }

        if (!SeedRanges.Training.Contains(StartSeed))
        {
            throw new ArgumentOutOfRangeException(nameof(StartSeed), StartSeed, "The start seed must lie in SeedRanges.Training.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(DistractorSpread, 1, nameof(DistractorSpread));
        ArgumentOutOfRangeException.ThrowIfNegative(FollowUpQuestions, nameof(FollowUpQuestions));
    }
}
