namespace Levain.Lm.Scoring;

/// <summary>
/// How well a model predicts one document: <see cref="Nll"/> is the summed negative log-likelihood in nats of every
/// token after an end-of-text start (rolling windows when the document is longer than the context), per token
/// (<see cref="NllPerToken"/>, whose exp is <see cref="Perplexity"/>) and in bits per UTF-8 byte
/// (<see cref="BitsPerByte"/>, comparable across tokenizers).
/// </summary>
public sealed record DocumentScore(string Id, int Tokens, int Bytes, double Nll)
{
    public double NllPerToken => Tokens == 0 ? double.NaN : Nll / Tokens;

    public double Perplexity => Math.Exp(NllPerToken);

    public double BitsPerByte => Bytes == 0 ? double.NaN : Nll / Math.Log(2) / Bytes;

    /// <summary>The pooled score of several documents (token- and byte-weighted).</summary>
    public static DocumentScore Total(IReadOnlyList<DocumentScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return new DocumentScore("total", scores.Sum(s => s.Tokens), scores.Sum(s => s.Bytes), scores.Sum(s => s.Nll));
    }
}
