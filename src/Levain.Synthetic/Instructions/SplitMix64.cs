namespace Levain.Synthetic.Instructions;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a seeded generator whose sequence is fixed by its definition, not by the
/// runtime, so generated examples stay the same across .NET versions.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>) (a negligible modulo bias for the small ranges used here).</summary>
    public int Next(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exclusiveMax, 1);
        return (int)(NextUInt64() % (ulong)exclusiveMax);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
