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

    public static double Apply(double x, double lambda) => Apply(x >= 0, Math.Log(1.0 + Math.Abs(x)), lambda);

    /// <summary>ψ from the sign of x and ln(|x| + 1), the only parts of x it depends on (computed once per value by <see cref="FitLambda"/>).</summary>
    private static double Apply(bool isNonNegative, double logAbsPlusOne, double lambda)
    {
        if (isNonNegative)
        {
            return Math.Abs(lambda) < 1e-12 ? logAbsPlusOne : ExpM1(lambda * logAbsPlusOne) / lambda;
        }
        var power = 2.0 - lambda;
        return Math.Abs(power) < 1e-12 ? -logAbsPlusOne : -ExpM1(power * logAbsPlusOne) / power;
    }

    /// <summary>
    /// The maximum-likelihood λ: the best point of a grid over [<see cref="MinLambda"/>, <see cref="MaxLambda"/>] (step
    /// 0.1), refined by golden-section search within one step of it. 1 (the identity up to a shift) for fewer than two
    /// distinct values. ln(|x| + 1), the signs and the Jacobian sum Σ sgn(x) ln(|x| + 1) do not depend on λ and are
    /// computed once; each ℓ(λ) then costs one exponential per value.
    /// </summary>
    public static double FitLambda(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2 || values.All(v => v == values[0]))
        {
            return 1.0;
        }
        var n = values.Count;
        var nonNegative = new bool[n];
        var logs = new double[n];
        var jacobian = 0.0;
        for (var i = 0; i < n; i++)
        {
            nonNegative[i] = values[i] >= 0;
            logs[i] = Math.Log(Math.Abs(values[i]) + 1.0);
            jacobian += Math.Sign(values[i]) * logs[i];
        }
        var transformed = new double[n];
        // Profile log-likelihood ℓ(λ) up to a constant; −∞ when the transformed values are all equal or overflow.
        double LogLikelihood(double lambda)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                transformed[i] = Apply(nonNegative[i], logs[i], lambda);
                sum += transformed[i];
            }
            var mean = sum / n;
            var sumSquares = 0.0;
            for (var i = 0; i < n; i++)
            {
                sumSquares += (transformed[i] - mean) * (transformed[i] - mean);
            }
            var variance = sumSquares / n;
            return variance > 0 && double.IsFinite(variance) ? (-0.5 * n * Math.Log(variance)) + ((lambda - 1.0) * jacobian) : double.NegativeInfinity;
        }
        var steps = (int)Math.Round((MaxLambda - MinLambda) / GridStep);
        var best = 1.0;
        var bestValue = LogLikelihood(best);
        for (var k = 0; k <= steps; k++)
        {
            var lambda = MinLambda + (k * GridStep);
            var value = LogLikelihood(lambda);
            if (value > bestValue)
            {
                (best, bestValue) = (lambda, value);
            }
        }
        var (a, b) = (Math.Max(MinLambda, best - GridStep), Math.Min(MaxLambda, best + GridStep));
        var ratio = (Math.Sqrt(5.0) - 1.0) / 2.0;
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        var (fc, fd) = (LogLikelihood(c), LogLikelihood(d));
        for (var iteration = 0; iteration < 40; iteration++)
        {
            if (fc >= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - (ratio * (b - a));
                fc = LogLikelihood(c);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + (ratio * (b - a));
                fd = LogLikelihood(d);
            }
        }
        var refined = 0.5 * (a + b);
        return LogLikelihood(refined) >= bestValue ? refined : best;
    }

    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (0.5 * x * x) + (x * x * x / 6.0) : Math.Exp(x) - 1.0;
}
