namespace Levain.Health.Training;

/// <summary>MFU and the figures it comes from.</summary>
public sealed record MfuResult(double TokensPerSecond, double FlopsPerToken, double AchievedFlopsPerSecond, double PeakFlopsPerSecond, double Mfu, int Steps, int Gpus);
