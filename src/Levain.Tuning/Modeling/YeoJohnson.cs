namespace Levain.Tuning.Modeling;

/// <summary>
/// The Yeo-Johnson power transform (Yeo and Johnson 2000): ψ(x, λ) = ((x + 1)^λ − 1)/λ for x ≥ 0 (ln(x + 1) at λ = 0)
/// and −((1 − x)^(2 − λ) − 1)/(2 − λ) for x &lt; 0 (−ln(1 − x) at λ = 2); increasing in x for every λ, and
/// ψ(−x, λ) = −ψ(x, 2 − λ). λ is fitted by maximising the profile log-likelihood of a normal model of ψ(x, λ),
/// ℓ(λ) = −n/2 · ln σ̂²(λ) + (λ − 1) Σ sgn(xᵢ) ln(|xᵢ| + 1), over [<see cref="MinLambda"/>, <see cref="MaxLambda"/>].
/// </summary>
internal static class YeoJohnson
{
    public const double MinLambda = -3.0;
    public const double MaxLambda = 3.0;

    /// <summary>Grid step of the search before the golden-section refinement.</summary>
    private const double GridStep = 0.1;

    public static double Apply(double x, double lambda)
    {
        if (x >= 0)
        {
            var log = Math.Log(1.0 + x);
            return Math.Abs(lambda) < 1e-12 ? log : ExpM1(lambda * log) / lambda;
        }
        var power = 2.0 - lambda;
        var logNeg = Math.Log(1.0 - x);
        return Math.Abs(power) < 1e-12 ? -logNeg : -ExpM1(power * logNeg) / power;
    }

    /// <summary>Profile log-likelihood ℓ(λ) of the values (up to a constant); −∞ when the transformed values are all equal or overflow.</summary>
    public static double LogLikelihood(IReadOnlyList<double> values, double lambda)
    {
        var n = values.Count;
        double sum = 0, sumSquares = 0, jacobian = 0;
        var transformed = new double[n];
        for (var i = 0; i < n; i++)
        {
            transformed[i] = Apply(values[i], lambda);
            sum += transformed[i];
            jacobian += Math.Sign(values[i]) * Math.Log(Math.Abs(values[i]) + 1.0);
        }
        var mean = sum / n;
        for (var i = 0; i < n; i++)
        {
            sumSquares += (transformed[i] - mean) * (transformed[i] - mean);
        }
        var variance = sumSquares / n;
        return variance > 0 && double.IsFinite(variance) ? (-0.5 * n * Math.Log(variance)) + ((lambda - 1.0) * jacobian) : double.NegativeInfinity;
    }

    /// <summary>
    /// The maximum-likelihood λ: the best point of a grid over [<see cref="MinLambda"/>, <see cref="MaxLambda"/>] (step
    /// 0.1), refined by golden-section search within one step of it. 1 (the identity up to a shift) for fewer than two
    /// distinct values.
    /// </summary>
    public static double FitLambda(IReadOnlyList<double> values)
    {
        if (values.Count < 2 || values.All(v => v == values[0]))
        {
            return 1.0;
        }
        var steps = (int)Math.Round((MaxLambda - MinLambda) / GridStep);
        var best = 1.0;
        var bestValue = LogLikelihood(values, best);
        for (var k = 0; k <= steps; k++)
        {
            var lambda = MinLambda + (k * GridStep);
            var value = LogLikelihood(values, lambda);
            if (value > bestValue)
            {
                (best, bestValue) = (lambda, value);
            }
        }
        var (a, b) = (Math.Max(MinLambda, best - GridStep), Math.Min(MaxLambda, best + GridStep));
        var ratio = (Math.Sqrt(5.0) - 1.0) / 2.0;
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        var (fc, fd) = (LogLikelihood(values, c), LogLikelihood(values, d));
        for (var iteration = 0; iteration < 40; iteration++)
        {
            if (fc >= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - (ratio * (b - a));
                fc = LogLikelihood(values, c);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + (ratio * (b - a));
                fd = LogLikelihood(values, d);
            }
        }
        var refined = 0.5 * (a + b);
        return LogLikelihood(values, refined) >= bestValue ? refined : best;
    }

    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (0.5 * x * x) + (x * x * x / 6.0) : Math.Exp(x) - 1.0;
}
