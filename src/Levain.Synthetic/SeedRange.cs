namespace Levain.Synthetic;

/// <summary>The half-open seed interval [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>).</summary>
public readonly record struct SeedRange(int Start, int Count)
{
    /// <summary>The first seed past the range.</summary>
    public long End => (long)Start + Count;

    public bool Contains(long seed) => seed >= Start && seed < End;

    public bool Overlaps(SeedRange other) => Start < other.End && other.Start < End;
}
