namespace Levain.Tuning.Modeling;

/// <summary>Standardisation of raw outputs for a GP: their mean and sample standard deviation (1 when they are all equal).</summary>
internal static class OutputScale
{
    public static (double Mean, double Scale) Of(IReadOnlyList<Observation> observations)
    {
        var mean = observations.Average(o => o.Output);
        var spread = Math.Sqrt(observations.Sum(o => (o.Output - mean) * (o.Output - mean)) / (observations.Count - 1));
        return (mean, spread > 0 ? spread : 1.0);
    }
}
