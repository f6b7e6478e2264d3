namespace Levain.Evals.Statistics;

/// <summary>
/// A metric's value over <paramref name="Count"/> rows with its standard error (null when it cannot be estimated, e.g.
/// one row) and how the error was computed: <c>mean</c> (sd/√n), <c>clustered</c> (cluster-robust), or
/// <c>bootstrap</c> (seeded resampling of clusters, for metrics that are not means).
/// </summary>
public sealed record MetricEstimate(double Value, double? StandardError, int Count, string Method);
