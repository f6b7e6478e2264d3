namespace Levain.Evals.Quality;

/// <summary>
/// One person's (or model's) judgment of an item: the question and choices as they saw them, the original answer,
/// their own answer (null when they found none correct), their confidence in [0, 1], and their reason.
/// <paramref name="Status"/> is an explicit label when the file gives one.
/// </summary>
public sealed record Judgment(
    string Question,
    IReadOnlyList<string> Choices,
    string OriginalAnswer,
    string? ParticipantAnswer,
    double Confidence,
    string? Reason,
    string? Status,
    int Line);
