namespace Levain.Health.Parsing.Active;

/// <summary>nccl-tests summary: average bus bandwidth, the bus bandwidth at the largest size, wrong results.</summary>
public sealed record NcclTestsResult(double AverageBusBandwidthGBps, double? LargestSizeBusBandwidthGBps, long LargestSizeBytes, long WrongResults, bool OutOfBoundsOk, IReadOnlyList<string> Evidence);
