namespace Levain.Health.Training;

/// <summary>One row of a training log: a rank's time for one optimizer step and the tokens it processed.</summary>
public readonly record struct StepRecord(long Step, int Rank, double StepTimeSeconds, long Tokens);
