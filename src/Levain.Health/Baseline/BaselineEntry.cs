namespace Levain.Health.Baseline;

/// <summary>One learned template: how many healthy nodes showed it and its median relative position in their logs.</summary>
public sealed record BaselineEntry(string Template, int Nodes, double MedianPosition);
