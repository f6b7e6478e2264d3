namespace Levain.Synthetic.LongContext;

/// <summary>One inserted statement and where it sits.</summary>
/// <param name="Key">The key (<c>amber-falcon</c>) or variable name (<c>QXZAB</c>).</param>
/// <param name="Value">The value the statement gives (for a chain link, the value it resolves to).</param>
/// <param name="Text">The exact inserted sentence.</param>
/// <param name="OffsetInChars">Index of <see cref="Text"/> in the item's context.</param>
public sealed record Needle(string Key, string Value, string Text, int OffsetInChars);
