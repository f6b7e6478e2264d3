namespace Levain.Health.Counters;

/// <summary>
/// A node's cumulative error counters at one moment, keyed by <see cref="ErrorCounterReader"/>'s keys
/// (<c>nvlink|pci:00000000:18:00.0|link3|CRC Errors</c>, <c>ib|mlx5_0/1|symbol_error</c>).
/// </summary>
public sealed record CounterSnapshot(DateTimeOffset TakenAt, IReadOnlyDictionary<string, long> Values);
