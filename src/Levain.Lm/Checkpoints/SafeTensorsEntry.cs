namespace Levain.Lm.Checkpoints;

/// <summary>One tensor of a safetensors header: its dtype name, shape and [begin, end) byte range in the data section.</summary>
public sealed record SafeTensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    internal long[] ShapeArray => [.. Shape];
}
