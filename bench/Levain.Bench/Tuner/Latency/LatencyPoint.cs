namespace Levain.Bench.Tuner.Latency;

/// <summary>
/// Suggest latency with <paramref name="Observations"/> observations already in the tuner: the first call
/// (<paramref name="ColdSeconds"/>, the first model fit) and the median of the following calls, each made after
/// observing the previous suggestion (<paramref name="WarmSeconds"/>).
/// </summary>
public sealed record LatencyPoint(int Dimensions, int Observations, double ColdSeconds, double MedianSeconds, IReadOnlyList<double> WarmSeconds);
