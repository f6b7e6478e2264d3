namespace Levain.Tuning.Scaling;

/// <summary>
/// Student-t distribution: CDF through the regularised incomplete beta function (continued fraction, modified Lentz)
/// and the quantile by bisection on the CDF. Accurate to ~1e-10, ample for confidence intervals.
/// </summary>
internal static class StudentT
{
    public static double Cdf(double t, double degrees)
    {
        if (t * t < degrees)
        {
            // Near the centre use I_{t²/(ν+t²)}(½, ν/2), which keeps full precision as t → 0.
            var central = 0.5 * RegularizedIncompleteBeta(0.5, degrees / 2, t * t / (degrees + (t * t)));
            return t >= 0 ? 0.5 + central : 0.5 - central;
        }
        var x = degrees / (degrees + (t * t));
        var tail = 0.5 * RegularizedIncompleteBeta(degrees / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    public static double Quantile(double p, double degrees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(degrees, 0.0);
        double lo = -1.0, hi = 1.0;
        while (Cdf(lo, degrees) > p)
        {
            lo *= 2;
        }
        while (Cdf(hi, degrees) < p)
        {
            hi *= 2;
        }
        for (var i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1.0, Math.Abs(hi)); i++)
        {
            var mid = 0.5 * (lo + hi);
            if (Cdf(mid, degrees) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>I_x(a, b).</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (x >= 1)
        {
            return 1;
        }
        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * BetaContinuedFraction(a, b, x) / a
            : 1 - (Math.Exp(logFront) * BetaContinuedFraction(b, a, 1 - x) / b);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine coefficients).</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        var sum = c[0];
        for (var i = 1; i < c.Length; i++)
        {
            sum += c[i] / (x + i);
        }
        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - (qab * x / qap);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }
        return h;
    }
}
