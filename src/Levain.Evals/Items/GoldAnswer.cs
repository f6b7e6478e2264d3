namespace Levain.Evals.Items;

/// <summary>
/// The correct answer of an item: one or more acceptable choice indices (multiple choice) or one or more acceptable
/// strings (generation).
/// </summary>
public sealed record GoldAnswer
{
    private GoldAnswer(IReadOnlyList<int> indices, IReadOnlyList<string> texts)
    {
        Indices = indices;
        Texts = texts;
    }

    public IReadOnlyList<int> Indices { get; }

    public IReadOnlyList<string> Texts { get; }

    public bool IsChoice => Indices.Count > 0;

    public static GoldAnswer Choice(params int[] indices)
    {
        ArgumentOutOfRangeException.ThrowIfZero(indices.Length);
        foreach (var index in indices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
        }
        return new GoldAnswer(indices.Distinct().Order().ToArray(), []);
    }

    public static GoldAnswer Text(params string[] texts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(texts.Length);
        return new GoldAnswer([], texts);
    }

    public bool Contains(int choiceIndex) => Indices.Contains(choiceIndex);

    public bool Equals(GoldAnswer? other) =>
        other is not null && Indices.SequenceEqual(other.Indices) && Texts.SequenceEqual(other.Texts, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var i in Indices)
        {
            hash.Add(i);
        }
        foreach (var t in Texts)
        {
            hash.Add(t, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }
}
