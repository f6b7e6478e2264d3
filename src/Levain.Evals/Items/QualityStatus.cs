namespace Levain.Evals.Items;

/// <summary>What is known about an item's correctness; only <see cref="Ok"/> items form the clean subset.</summary>
public enum QualityStatus
{
    Ok,
    Ambiguous,
    Mislabeled,
    MultipleCorrect,
    NoCorrect,
}
