namespace Levain.Tuning.Scaling;

/// <summary>
/// Ordinary least squares y = a + b·x with the classical prediction interval
/// ŷ ± t(1 − α/2, n − 2) · s · √(1 + 1/n + (x₀ − x̄)² / Sxx). With one point, or all x equal, the slope is 0.
/// </summary>
internal sealed class LinearFit
{
    private readonly double _meanX;
    private readonly double _sxx;

    public LinearFit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        if (n == 0 || n != y.Count)
        {
            throw new ArgumentException("A linear fit needs matching, non-empty x and y.", nameof(x));
        }
        _meanX = x.Average();
        var meanY = y.Average();
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (x[i] - _meanX) * (x[i] - _meanX);
            sxy += (x[i] - _meanX) * (y[i] - meanY);
        }
        _sxx = sxx;
        var hasSlope = n > 1 && sxx > 1e-12 * Math.Max(1.0, _meanX * _meanX);
        Slope = hasSlope ? sxy / sxx : 0.0;
        Intercept = meanY - (Slope * _meanX);
        var ssr = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = y[i] - (Intercept + (Slope * x[i]));
            ssr += r * r;
        }
        var degrees = hasSlope ? n - 2 : n - 1;
        DegreesOfFreedom = degrees;
        ResidualStdDev = degrees > 0 ? Math.Sqrt(ssr / degrees) : 0.0;
        Count = n;
    }

    public double Slope { get; }

    public double Intercept { get; }

    public double ResidualStdDev { get; }

    public int Count { get; }

    public int DegreesOfFreedom { get; }

    public double Predict(double x) => Intercept + (Slope * x);

    /// <summary>The standard deviation of a new point at <paramref name="x"/> about the line: s·√(1 + 1/n + (x − x̄)²/Sxx); 0 without residual degrees of freedom.</summary>
    public double PredictionStdDev(double x)
    {
        if (DegreesOfFreedom < 1)
        {
            return 0.0;
        }
        var leverage = Slope != 0.0 && _sxx > 0 ? ((x - _meanX) * (x - _meanX)) / _sxx : 0.0;
        return ResidualStdDev * Math.Sqrt(1.0 + (1.0 / Count) + leverage);
    }

    /// <summary>The two-sided prediction interval at <paramref name="x"/>, or null without residual degrees of freedom.</summary>
    public (double Lower, double Upper)? PredictionInterval(double x, double confidence)
    {
        if (DegreesOfFreedom < 1 || Count < 3)
        {
            return null;
        }
        var leverage = Slope != 0.0 && _sxx > 0 ? ((x - _meanX) * (x - _meanX)) / _sxx : 0.0;
        var half = StudentT.Quantile(0.5 + (confidence / 2), DegreesOfFreedom) * ResidualStdDev * Math.Sqrt(1.0 + (1.0 / Count) + leverage);
        var center = Predict(x);
        return (center - half, center + half);
    }
}
