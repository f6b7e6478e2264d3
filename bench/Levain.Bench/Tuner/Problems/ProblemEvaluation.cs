namespace Levain.Bench.Tuner.Problems;

/// <summary>What a method sees (<paramref name="ObservedValue"/>, <paramref name="Cost"/>) and what the regret uses
/// (<paramref name="NoiseFreeValue"/>).</summary>
public readonly record struct ProblemEvaluation(double ObservedValue, double NoiseFreeValue, double Cost)
{
    /// <summary>A run cut short by early stopping: the curve's point where it was stopped.</summary>
    public bool IsPartial { get; init; }
}
