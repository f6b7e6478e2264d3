namespace Levain.Health.Parsing.Active;

/// <summary>perftest <c>ib_write_bw</c> summary: device, message size and average bandwidth in Gb/s.</summary>
public sealed record IbWriteBwResult(string? Device, long MessageBytes, double AverageGbps, double PeakGbps, string Evidence);
