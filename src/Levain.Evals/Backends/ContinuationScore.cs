namespace Levain.Evals.Backends;

/// <summary>The token-level answer to a score request. <paramref name="ByteCount"/> counts UTF-8 bytes of the scored text.</summary>
public sealed record ContinuationScore(IReadOnlyList<TokenScore> Tokens, int ByteCount)
{
    /// <summary>Summed log-likelihood of the scored tokens.</summary>
    public double LogLikelihood => Tokens.Sum(t => t.LogProb);

    /// <summary>True when every scored token was the model's greedy choice.</summary>
    public bool IsGreedy => Tokens.All(t => t.IsGreedy);

    public int TokenCount => Tokens.Count;
}
