namespace Levain.Bench.Tuner.Runs;

/// <summary>One completed evaluation of a run, in the order the method made them.</summary>
public readonly record struct TraceEntry(double Cost, double ObservedValue, double NoiseFreeValue);
