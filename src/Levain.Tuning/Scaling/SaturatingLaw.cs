namespace Levain.Tuning.Scaling;

/// <summary>
/// The metric along the Pareto front as a saturating power law in cost: y = E + s·A·C^−α with A ≥ 0, α ∈ (0, 3]
/// and s = +1 when minimising (the loss falls toward its floor E), −1 when maximising (the score rises toward its
/// ceiling E). Fitted by least squares in metric units (where trial noise is additive): for a fixed α the model is
/// linear in (E, A) and solved exactly; α is found by a grid over ln α refined by golden-section search.
/// </summary>
public sealed record SaturatingLaw(double Floor, double Amplitude, double Exponent, double Sign, double ResidualStdDev, int PointCount)
{
    /// <summary>The smallest exponent α the fit considers.</summary>
    public const double MinExponent = 0.01;

    private const double MaxExponent = 3.0;

    public double Predict(double cost) => Floor + (Sign * Amplitude * Math.Pow(cost, -Exponent));

    /// <summary>
    /// False when the fitted α sits at <see cref="MinExponent"/>: the points show no bend toward a floor, so the floor is
    /// not identified and the law extrapolates a nearly straight line in ln cost (a loss can then be predicted below any
    /// natural bound).
    /// </summary>
    public bool ShowsSaturation => Exponent > 1.05 * MinExponent;

    /// <summary>What to tell the user when the law does not <see cref="ShowsSaturation"/> (null when it does): one text for every report.</summary>
    public string? NoSaturationWarning => ShowsSaturation ? null
        : $"The metric shows no saturation along the front (fitted exponent at its lower limit {MinExponent:G}): its floor is not identified, so an extrapolation follows a nearly straight line in ln cost and can pass the metric's natural bound (a loss below 0); widen the study's cost range before betting a run on it.";

    /// <summary>Null with fewer than three points or non-positive costs.</summary>
    public static SaturatingLaw? Fit(IReadOnlyList<double> costs, IReadOnlyList<double> outputs, bool isMaximizing)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(outputs);
        var n = costs.Count;
        if (n < 3 || outputs.Count != n || costs.Any(c => !(c > 0) || !double.IsFinite(c)) || outputs.Any(y => !double.IsFinite(y)))
        {
            return null;
        }
        var sign = isMaximizing ? -1.0 : 1.0;
        // Costs are rescaled by their geometric mean so C^−α stays well conditioned for FLOP-sized costs.
        var reference = Math.Exp(costs.Average(Math.Log));
        var scaled = costs.Select(c => c / reference).ToArray();
        double Sse(double logAlpha) => Solve(scaled, outputs, Math.Exp(logAlpha), sign).Sse;
        double lo = Math.Log(MinExponent), hi = Math.Log(MaxExponent);
        const int grid = 60;
        var bestIndex = 0;
        var bestSse = double.PositiveInfinity;
        for (var i = 0; i <= grid; i++)
        {
            var sse = Sse(lo + ((hi - lo) * i / grid));
            if (sse < bestSse)
            {
                (bestSse, bestIndex) = (sse, i);
            }
        }
        double a = lo + ((hi - lo) * Math.Max(bestIndex - 1, 0) / grid), b = lo + ((hi - lo) * Math.Min(bestIndex + 1, grid) / grid);
        var phi = (Math.Sqrt(5) - 1) / 2;
        for (var iteration = 0; iteration < 60 && b - a > 1e-9; iteration++)
        {
            var x1 = b - (phi * (b - a));
            var x2 = a + (phi * (b - a));
            if (Sse(x1) <= Sse(x2))
            {
                b = x2;
            }
            else
            {
                a = x1;
            }
        }
        var alpha = Math.Exp(0.5 * (a + b));
        var (floor, amplitudeScaled, sseBest) = Solve(scaled, outputs, alpha, sign);
        // y = E + s·A'·(C/ref)^−α = E + s·(A'·ref^α)·C^−α.
        var amplitude = amplitudeScaled * Math.Pow(reference, alpha);
        var degrees = Math.Max(n - 3, 1);
        return new SaturatingLaw(floor, amplitude, alpha, sign, Math.Sqrt(sseBest / degrees), n);
    }

    /// <summary>Least squares of y = E + s·A·x, x = c^−α, with A ≥ 0 (A = 0 gives the flat fit at the mean).</summary>
    private static (double Floor, double Amplitude, double Sse) Solve(double[] scaledCosts, IReadOnlyList<double> outputs, double alpha, double sign)
    {
        var n = scaledCosts.Length;
        var x = scaledCosts.Select(c => sign * Math.Pow(c, -alpha)).ToArray();
        var meanX = x.Average();
        var meanY = outputs.Average();
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (outputs[i] - meanY);
        }
        var amplitude = sxx > 1e-300 ? Math.Max(sxy / sxx, 0.0) : 0.0;
        var floor = meanY - (amplitude * meanX);
        var sse = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = outputs[i] - (floor + (amplitude * x[i]));
            sse += r * r;
        }
        return (floor, amplitude, sse);
    }
}
