namespace Levain.Lm.Tokenization;

/// <summary>Progress of <see cref="BpeTrainer"/>: <paramref name="Merges"/> done of <paramref name="TargetMerges"/>; <paramref name="LastCount"/> is the last merged pair's frequency.</summary>
public readonly record struct BpeTrainingProgress(int Merges, int TargetMerges, long LastCount);
