namespace Levain.Evals.Reports;

/// <summary>
/// One metric of one task in two runs on the same items: both values, B − A, its paired standard error (of the
/// per-item differences; clustered when rotations repeat an item; a paired bootstrap for non-mean metrics), and z.
/// </summary>
public sealed record MetricDifference(string Metric, double A, double B, double Difference, double? StandardError, int PairedRows, string Method)
{
    public double? Z => StandardError is > 0 ? Difference / StandardError : null;
}
