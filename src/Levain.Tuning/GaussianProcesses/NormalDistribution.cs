namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Standard normal φ, Φ, Φ⁻¹ and the expected-improvement factor h(z) = φ(z) + z·Φ(z), accurate far into the tails:
/// erfc uses an all-positive series below 3 and Laplace's continued fraction above; Φ⁻¹ refines the
/// Abramowitz–Stegun 26.2.23 start by safeguarded Newton steps.
/// </summary>
internal static class NormalDistribution
{
    private const double InvSqrtTwoPi = 0.3989422804014327;
    private const double InvSqrtPi = 0.5641895835477563;

    public static double Pdf(double z) => InvSqrtTwoPi * Math.Exp(-0.5 * z * z);

    public static double LogPdf(double z) => (-0.5 * z * z) - (0.5 * Notation.LogTwoPi);

    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2.0));

    /// <summary>Complementary error function, relative error ≲ 1e-13 over the whole line.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x < 0)
        {
            return 2.0 - Erfc(-x);
        }
        if (x < 3.0)
        {
            // erf(x) = (2/√π)·e^{−x²}·Σ_k 2^k x^{2k+1} / (1·3·…·(2k+1))
            var term = x;
            var sum = x;
            var x2 = x * x;
            for (var k = 1; k < 200 && term > 1e-17 * sum; k++)
            {
                term *= 2.0 * x2 / ((2 * k) + 1);
                sum += term;
            }
            return 1.0 - (2.0 * InvSqrtPi * Math.Exp(-x2) * sum);
        }
        if (x > 27.3)
        {
            return 0.0;
        }
        // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated backwards.
        var fraction = x;
        for (var k = 60; k >= 1; k--)
        {
            fraction = x + (k * 0.5 / fraction);
        }
        return InvSqrtPi * Math.Exp(-x * x) / fraction;
    }

    /// <summary>Φ⁻¹(p) for p in (0, 1); ±∞ at the ends.</summary>
    public static double InverseCdf(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            return double.NaN;
        }
        if (p == 0)
        {
            return double.NegativeInfinity;
        }
        if (p == 1)
        {
            return double.PositiveInfinity;
        }
        if (p > 0.5)
        {
            return -InverseCdf(1.0 - p);
        }
        var t = Math.Sqrt(-2.0 * Math.Log(p));
        var x = -(t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t)) / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t))));
        double lo = -40, hi = 0;
        for (var i = 0; i < 50; i++)
        {
            var f = Cdf(x) - p;
            if (f > 0)
            {
                hi = x;
            }
            else
            {
                lo = x;
            }
            var density = Pdf(x);
            var step = density > 0 ? f / density : double.NaN;
            var next = x - step;
            if (!double.IsFinite(next) || next <= lo || next >= hi)
            {
                next = 0.5 * (lo + hi);
            }
            if (Math.Abs(next - x) <= 1e-15 * Math.Max(1.0, Math.Abs(x)))
            {
                return next;
            }
            x = next;
        }
        return x;
    }

    /// <summary>ln h(z), h(z) = φ(z) + z·Φ(z) &gt; 0, stable for very negative z (Mills-ratio continued fraction).</summary>
    public static double LogExpectedImprovementFactor(double z)
    {
        if (z > -5.0)
        {
            return Math.Log((Pdf(z) + (z * Cdf(z))));
        }
        var t = -z;
        // Mills ratio M(t) = Φ(−t)/φ(t) = 1/(t + q), q = 1/(t + 2/(t + 3/(t + …))); then 1 − t·M = q/(t + q)
        // exactly, with no cancellation.
        var inner = t;
        for (var k = 80; k >= 2; k--)
        {
            inner = t + (k / inner);
        }
        var q = 1.0 / inner;
        return LogPdf(z) + Math.Log(q) - Math.Log(t + q);
    }
}
