namespace Levain.Runner.Tune;

/// <summary>
/// One event of a tune session: what happened (<see cref="Kind"/>, <see cref="Message"/>), which trial, the study's
/// status after it, and for <see cref="TuneEventKind.TrialProgress"/> the JSON object the trial printed.
/// </summary>
public sealed record TuneProgress(TuneEventKind Kind, string Message, int? TrialNumber, TuneStatus Status, string? ProgressJson = null);
