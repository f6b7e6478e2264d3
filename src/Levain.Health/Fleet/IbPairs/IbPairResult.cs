namespace Levain.Health.Fleet.IbPairs;

/// <summary>What one pair measured: the client's average bandwidth (null when the run failed, with the reason in <paramref name="Detail"/>).</summary>
public sealed record IbPairResult(IbPair Pair, double? AverageGbps, string Detail, IReadOnlyList<string> Evidence);
