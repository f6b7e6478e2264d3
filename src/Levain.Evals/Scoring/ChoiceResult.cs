namespace Levain.Evals.Scoring;

/// <summary>
/// One scored choice: the answer text as shown (s_i), the summed log-likelihood of its continuation
/// (target delimiter + s_i), the continuation's token count, s_i's UTF-8 byte and character (code point) counts,
/// whether every token was the greedy choice, and — for <c>acc_pmi</c> — the log-likelihood under the
/// unconditional context.
/// </summary>
public sealed record ChoiceResult(
    string Answer,
    double LogLikelihood,
    int TokenCount,
    int ByteCount,
    int CharCount,
    bool IsGreedy,
    double? UnconditionalLogLikelihood = null);
