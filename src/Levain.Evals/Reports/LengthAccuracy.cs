using Levain.Evals.Statistics;

namespace Levain.Evals.Reports;

/// <summary>Accuracy of the items generated at one context length.</summary>
public sealed record LengthAccuracy(int Length, MetricEstimate Accuracy);
