namespace Levain.Studies.Trials;

/// <summary>What a proposer sees while the study is locked: the study (with its tuner checkpoint) and every trial.</summary>
public sealed record ClaimContext(StudyRecord Study, IReadOnlyList<TrialRecord> Trials, DateTimeOffset Now);
