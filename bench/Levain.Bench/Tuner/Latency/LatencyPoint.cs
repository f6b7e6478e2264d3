namespace Levain.Bench.Tuner.Latency;

/// <summary>
/// Suggest latency with <paramref name="Observations"/> observations already in the tuner: the first call
/// (<paramref name="ColdSeconds"/>, the first model fit) and the median of the following calls, each made after
/// observing the previous suggestion (<paramref name="WarmSeconds"/>). This is the default tuner (incremental
/// factorisation); <see cref="FullRefit"/> is the same measurement, in the same run, with every model refitted and
/// refactorised at every suggestion (CarbsOptions.IncrementalModels off: the implementation before).
/// </summary>
public sealed record LatencyPoint(int Dimensions, int Observations, double ColdSeconds, double MedianSeconds, IReadOnlyList<double> WarmSeconds)
{
    /// <summary>The full-refit measurement in the same run (null when it was not measured).</summary>
    public LatencyPoint? FullRefit { get; init; }

    /// <summary>
    /// The default tuner with the same history told that three quarters of its budget are spent (answer refinement's
    /// dear model and candidates on top of the usual work), in the same run (null when it was not measured).
    /// </summary>
    public LatencyPoint? SecondHalf { get; init; }

    /// <summary>Full-refit median over incremental median (null without a full-refit measurement).</summary>
    public double? SpeedUp => FullRefit is { } full && MedianSeconds > 0 ? full.MedianSeconds / MedianSeconds : null;
}
