namespace Levain.Evals.Scoring;

/// <summary>A whole text's summed log-likelihood with its token, word (whitespace-separated) and UTF-8 byte counts.</summary>
public sealed record RollingResult(double LogLikelihood, int TokenCount, int WordCount, int ByteCount);
