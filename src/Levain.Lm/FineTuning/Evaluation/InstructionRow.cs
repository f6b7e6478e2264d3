namespace Levain.Lm.FineTuning.Evaluation;

/// <summary>
/// One held-out example's scores: the mean NLL per trained token (response and end marker), and — when it was
/// generated — the greedy response, exact match (equal after trimming surrounding whitespace) and normalized match
/// (Evals' <c>ExactMatch.Normalize</c>: case, whitespace runs, surrounding punctuation).
/// </summary>
public sealed record InstructionRow(
    string Category,
    double ResponseNll,
    int ResponseTokens,
    string? Generated,
    double? Exact,
    double? Normalized,
    double? Chance);
