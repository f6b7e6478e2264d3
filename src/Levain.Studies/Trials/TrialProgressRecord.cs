namespace Levain.Studies.Trials;

/// <summary>One <c>levain-progress {...}</c> line a trial printed, as stored.</summary>
public sealed record TrialProgressRecord(int Number, DateTimeOffset At, string Json);
