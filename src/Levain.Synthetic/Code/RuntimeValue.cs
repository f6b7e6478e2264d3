using System.Globalization;

namespace Levain.Synthetic.Code;

/// <summary>A value a variable holds after execution: an integer, or a snapshot of a list of integers.</summary>
public sealed record RuntimeValue
{
    private RuntimeValue(long integer, IReadOnlyList<long>? items)
    {
        Integer = integer;
        Items = items;
    }

    /// <summary>The integer value; 0 for lists.</summary>
    public long Integer { get; }

    /// <summary>The list's items, or null for an integer.</summary>
    public IReadOnlyList<long>? Items { get; }

    public bool IsList => Items is not null;

    public static RuntimeValue OfInteger(long value) => new(value, null);

    public static RuntimeValue OfList(IEnumerable<long> items) => new(0, items.ToArray());

    /// <summary>The text Python's <c>print</c> shows for this value: <c>-3</c>, <c>[1, 2]</c>, <c>[]</c>.</summary>
    public string ToPythonText() => Format(Integer, Items);

    public override string ToString() => ToPythonText();

    public bool Equals(RuntimeValue? other) =>
        other is not null && Integer == other.Integer && IsList == other.IsList
        && (Items is null || Items.SequenceEqual(other.Items!));

    public override int GetHashCode() => ToPythonText().GetHashCode(StringComparison.Ordinal);

    internal static string Format(long integer, IReadOnlyList<long>? items) =>
        items is null
            ? integer.ToString(CultureInfo.InvariantCulture)
            : "[" + string.Join(", ", items.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
