using Levain.Evals.Items;

namespace Levain.Evals.Scoring;

/// <summary>
/// One result row: an item under one rotation (docs/evals.md, "Statistics"). Multiple-choice rows carry every choice's
/// scores in shown order with the gold positions; generation rows the generated text; rolling rows the whole-text
/// likelihood. <see cref="Scores"/> holds the per-row metric values (acc, nll_correct, …);
/// <see cref="PredictedChoice"/> is the argmax choice as the item's original index; <see cref="Overlap"/> the
/// contamination overlap fraction when an index was given.
/// </summary>
public sealed record ItemResult
{
    public required string ItemId { get; init; }

    public int Rotation { get; init; }

    public required string Cluster { get; init; }

    public required ItemFormat Format { get; init; }

    public QualityStatus Quality { get; init; }

    public IReadOnlyList<int> GoldPositions { get; init; } = [];

    public IReadOnlyList<ChoiceResult> Choices { get; init; } = [];

    public int? PredictedPosition { get; init; }

    public int? PredictedChoice { get; init; }

    public double? Confidence { get; init; }

    /// <summary>The full prompt the model saw under this rotation (few-shot examples and template included), so a report row can be read on its own.</summary>
    public string? Prompt { get; init; }

    public string? Generated { get; init; }

    /// <summary>The answer each filter pipeline extracted from <see cref="Generated"/>, by pipeline name.</summary>
    public IReadOnlyDictionary<string, string>? Extracted { get; init; }

    public IReadOnlyList<string> GoldTexts { get; init; } = [];

    public RollingResult? Rolling { get; init; }

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    public double? Overlap { get; init; }

    public IReadOnlyDictionary<string, string>? Meta { get; init; }
}
