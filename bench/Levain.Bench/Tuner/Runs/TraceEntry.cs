namespace Levain.Bench.Tuner.Runs;

/// <summary>One completed evaluation of a run, in the order the method made them.</summary>
public readonly record struct TraceEntry(double Cost, double ObservedValue, double NoiseFreeValue)
{
    /// <summary>
    /// Noise-free value of the point the method reports as its answer after this evaluation (one of the points it has
    /// evaluated, at its own fidelity); null when the method reports its best observed point.
    /// </summary>
    public double? AnswerNoiseFreeValue { get; init; }

    /// <summary>Cost of the answer point (null with <see cref="AnswerNoiseFreeValue"/>).</summary>
    public double? AnswerCost { get; init; }
}
