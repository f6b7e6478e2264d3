using Levain.Evals.Items;

namespace Levain.Evals.Tasks;

/// <summary>
/// An item turned into model requests under one rotation: the full context (few-shot examples included), the answer
/// text of each position (<see cref="AnswerTexts"/>, what normalisations measure), the scored continuation of each
/// position (target delimiter + answer), and where the gold answers sit after rotation.
/// <see cref="OriginalIndexAt"/> maps a position back to the item's own choice index.
/// </summary>
public sealed record PromptedItem(
    EvalItem Item,
    ItemFormat Format,
    int Rotation,
    string Context,
    IReadOnlyList<string> AnswerTexts,
    IReadOnlyList<string> Continuations,
    IReadOnlyList<int> GoldPositions,
    IReadOnlyList<int> OriginalIndexAt);
