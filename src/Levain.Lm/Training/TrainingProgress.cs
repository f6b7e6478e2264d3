namespace Levain.Lm.Training;

/// <summary>
/// A progress event. <paramref name="Step"/> is 1-based (steps completed). Throughput and MFU are measured over the
/// steps since the previous event, excluding evaluation time. <paramref name="Metrics"/> is set on evaluation steps.
/// </summary>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double GradNorm,
    long Tokens,
    double Seconds,
    double TokensPerSecond,
    double Mfu,
    IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>Training FLOPs spent so far (tokens × FLOPs per token, as the result's <c>flops</c>): a cost a study can stop on.</summary>
    public double Flops { get; init; }
}
