using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>The task's metrics restricted to a subset of items (clean quality, or clean / overlapping with the training corpus).</summary>
public sealed record SubsetReport(string Name, int Items, IReadOnlyDictionary<string, MetricEstimate> Metrics);
