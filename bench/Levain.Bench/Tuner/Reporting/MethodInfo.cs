namespace Levain.Bench.Tuner.Reporting;

/// <summary>A method of the run: what it is, and whether it could run at all.</summary>
public sealed record MethodInfo(string Name, string Description, bool IsAvailable);
