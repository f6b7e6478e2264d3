namespace Levain.Synthetic;

/// <summary>
/// The disjoint seed ranges of the generators: training documents come from <see cref="Training"/>, held-out
/// evaluation items from <see cref="HeldOut"/>. Disjoint seeds do not rule out two seeds producing the same short
/// program, so the training stream is also filtered by program hash (<see cref="Code.Corpus.HeldOutGuard"/>).
/// </summary>
public static class SeedRanges
{
    public static SeedRange Training { get; } = new(0, 1_000_000_000);

    public static SeedRange HeldOut { get; } = new(1_000_000_000, 1_000_000_000);
}
