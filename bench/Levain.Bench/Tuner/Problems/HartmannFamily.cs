namespace Levain.Bench.Tuner.Problems;

/// <summary>The Hartmann family −Σᵢ α′ᵢ exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²), α′ᵢ = αᵢ − shift, shared by the 3- and 6-D problems.</summary>
internal static class HartmannFamily
{
    public static double Value(ReadOnlySpan<double> x, double[] alpha, double[,] a, double[,] p, double alphaShift)
    {
        var dimensions = a.GetLength(1);
        if (x.Length != dimensions)
        {
            throw new ArgumentException($"Hartmann-{dimensions} needs {dimensions} coordinates.", nameof(x));
        }
        var sum = 0.0;
        for (var i = 0; i < alpha.Length; i++)
        {
            var exponent = 0.0;
            for (var j = 0; j < dimensions; j++)
            {
                var d = x[j] - p[i, j];
                exponent += a[i, j] * d * d;
            }
            sum += (alpha[i] - alphaShift) * Math.Exp(-exponent);
        }
        return -sum;
    }
}
