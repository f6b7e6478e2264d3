namespace Levain.Health.Training;

/// <summary>One rank's median step time and its robust z-score against the other ranks.</summary>
public sealed record RankStepStats(int Rank, double MedianStepTimeSeconds, double RobustZ, bool IsStraggler);
