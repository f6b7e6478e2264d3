using Levain.Evals.Contamination;

namespace Levain.Evals.Reports;

/// <summary>
/// How a task report is built: the bootstrap seed, an optional contamination index (items with overlap above
/// <paramref name="OverlapThreshold"/> count as overlapping; 0 means any shared n-gram), and the source label.
/// </summary>
public sealed record TaskReportOptions(int BootstrapSeed = 0, NGramIndex? ContaminationIndex = null, double OverlapThreshold = 0);
