namespace Levain.Lm.Scoring;

/// <summary>
/// How the next token is chosen: greedy at <see cref="Temperature"/> 0; otherwise sampled from softmax(logits / T)
/// restricted to the <see cref="TopK"/> most likely tokens (0 = all) and then to the smallest set whose probability
/// reaches <see cref="TopP"/> (nucleus sampling; 1 = all), renormalised, with a generator seeded by <see cref="Seed"/>.
/// </summary>
public sealed record SamplingOptions(double Temperature = 0, int TopK = 0, double TopP = 1.0, int Seed = 0)
{
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopP);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TopP, 1.0);
    }
}
