namespace Levain.Tuning.Scaling;

/// <summary>
/// The metric along the Pareto front as a saturating power law in cost: y = E + s·A·C^−α with A ≥ 0, α ∈ (0, 3]
/// and s = +1 when minimising (the loss falls toward its floor E), −1 when maximising (the score rises toward its
/// ceiling E). Fitted by least squares in metric units (where trial noise is additive): for a fixed α the model is
/// linear in (E, A) and solved exactly; α is found by a grid over ln α refined by golden-section search.
/// With a <see cref="Bound"/> (the metric's natural bound, e.g. 0 for a loss or 1 for an accuracy: a floor a loss cannot
/// fall below, a ceiling a score cannot rise above) the fit keeps E on the metric's side of it: for each α, when the
/// unconstrained E passes the bound, E is the bound and A is refitted alone (the exact constrained least squares, since
/// the problem is convex in (E, A)).
/// </summary>
public sealed record SaturatingLaw(double Floor, double Amplitude, double Exponent, double Sign, double ResidualStdDev, int PointCount)
{
    /// <summary>The metric's natural bound the fit was held to (null: none given).</summary>
    public double? Bound { get; init; }

    /// <summary>True when the fitted floor is the <see cref="Bound"/> itself: the floor is given, not identified from the points.</summary>
    public bool FloorAtBound => Bound is { } b && Floor == b;

    /// <summary>
    /// <paramref name="value"/> held on the metric's side of <see cref="Bound"/> (unchanged without one): a draw of the
    /// compute-optimal metric cannot pass the bound even when the law's residual spread is added to it.
    /// </summary>
    public double Clip(double value) => Bound is not { } b ? value : Sign > 0 ? Math.Max(value, b) : Math.Min(value, b);

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

    /// <summary>
    /// What to tell the user when the law does not <see cref="ShowsSaturation"/> and its floor is not the given
    /// <see cref="Bound"/> (null otherwise): one text for every report.
    /// </summary>
    public string? NoSaturationWarning => ShowsSaturation || FloorAtBound ? null
        : $"The metric shows no saturation along the front (fitted exponent at its lower limit {MinExponent:G}): its floor is not identified, so an extrapolation follows a nearly straight line in ln cost" +
          (Bound is null ? " and can pass the metric's natural bound (a loss below 0); set metric_bound in the study file (e.g. 0 for a loss) or widen the study's cost range before betting a run on it."
              : "; widen the study's cost range before betting a run on it.");

    /// <summary>
    /// True when the fitted α sits at its upper limit: the front bends as sharply as the law allows, so its floor is
    /// just the level of the dearest points and the law predicts almost no gain beyond them.
    /// </summary>
    public bool BendsAtLimit => Exponent >= 0.99 * MaxExponent;

    /// <summary>What to tell the user when the law <see cref="BendsAtLimit"/> (null otherwise).</summary>
    public string? SharpBendWarning => !BendsAtLimit ? null
        : $"The metric's law bends as sharply as it can (fitted exponent at its upper limit {MaxExponent:G}): its floor {Floor:G4} is the level of the dearest Pareto points, " +
          $"so it predicts almost no gain from a larger run; from {PointCount} points that is as likely noise as a floor, so widen the study's cost range before betting a run on it.";

    /// <summary>
    /// The law's prediction interval at <paramref name="cost"/> given the <paramref name="costs"/> it was fitted on,
    /// conditional on the fitted exponent: the linear model in x = C^−α (floor and amplitude, or the amplitude alone
    /// when the floor is the bound) with Student-t quantiles on n − 3 degrees of freedom, held on the metric's side of
    /// the bound. Null with fewer than four points (three parameters leave no residual to scale it by).
    /// </summary>
    public (double Lower, double Upper)? PredictionInterval(IReadOnlyList<double> costs, double cost, double confidence)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count < 4 || !(cost > 0) || !double.IsFinite(cost))
        {
            return null;
        }
        // Leverage is the same for any rescaling of x, so costs are divided by their geometric mean (as in the fit).
        var reference = Math.Exp(costs.Average(Math.Log));
        var x = costs.Select(c => Math.Pow(c / reference, -Exponent)).ToArray();
        var x0 = Math.Pow(cost / reference, -Exponent);
        double leverage;
        if (FloorAtBound)
        {
            var xx = x.Sum(v => v * v);
            leverage = xx > 1e-300 ? x0 * x0 / xx : 0.0;
        }
        else
        {
            var mean = x.Average();
            var sxx = x.Sum(v => (v - mean) * (v - mean));
            leverage = (1.0 / x.Length) + (sxx > 1e-300 ? (x0 - mean) * (x0 - mean) / sxx : 0.0);
        }
        var half = StudentT.Quantile(0.5 + (confidence / 2), costs.Count - 3) * ResidualStdDev * Math.Sqrt(1.0 + leverage);
        var center = Predict(cost);
        return (Clip(center - half), Clip(center + half));
    }

    /// <summary>
    /// A warning when Pareto outputs lie past the metric's natural <paramref name="bound"/> (the bound is then wrong, or the
    /// metric is not what it says); null when none do or without a bound.
    /// </summary>
    public static string? PastBoundWarning(IEnumerable<double> frontOutputs, double? bound, bool isMaximizing)
    {
        ArgumentNullException.ThrowIfNull(frontOutputs);
        if (bound is not { } b) return null;
        var past = frontOutputs.Where(y => isMaximizing ? y > b : y < b).ToList();
        return past.Count == 0 ? null
            : $"{past.Count} Pareto point(s) lie past metric_bound {b:G} (the most extreme {(isMaximizing ? past.Max() : past.Min()):G}): the law's floor is held at the bound, so check the bound in the study file.";
    }

    /// <summary>
    /// Every warning about a front's metric law, in the order printed: no saturation, a bend at the limit (both from
    /// <paramref name="law"/>, when there is one), and Pareto outputs past the bound. The one list for the study report
    /// and the scale-up.
    /// </summary>
    public static IReadOnlyList<string> FrontWarnings(SaturatingLaw? law, IEnumerable<double> frontOutputs, double? bound, bool isMaximizing) =>
        [.. new[] { law?.NoSaturationWarning, law?.SharpBendWarning, PastBoundWarning(frontOutputs, bound, isMaximizing) }.OfType<string>()];

    /// <summary>
    /// Null with fewer than three points or non-positive costs. <paramref name="bound"/>: the metric's natural bound
    /// (see <see cref="Bound"/>), or null.
    /// </summary>
    public static SaturatingLaw? Fit(IReadOnlyList<double> costs, IReadOnlyList<double> outputs, bool isMaximizing, double? bound = null)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(outputs);
        var n = costs.Count;
        if (n < 3 || outputs.Count != n || costs.Any(c => !(c > 0) || !double.IsFinite(c)) || outputs.Any(y => !double.IsFinite(y)) || bound is { } b0 && !double.IsFinite(b0))
        {
            return null;
        }
        var sign = isMaximizing ? -1.0 : 1.0;
        // Costs are rescaled by their geometric mean so C^−α stays well conditioned for FLOP-sized costs.
        var reference = Math.Exp(costs.Average(Math.Log));
        var scaled = costs.Select(c => c / reference).ToArray();
        double Sse(double logAlpha) => Solve(scaled, outputs, Math.Exp(logAlpha), sign, bound).Sse;
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
        var (floor, amplitudeScaled, sseBest) = Solve(scaled, outputs, alpha, sign, bound);
        // y = E + s·A'·(C/ref)^−α = E + s·(A'·ref^α)·C^−α.
        var amplitude = amplitudeScaled * Math.Pow(reference, alpha);
        var degrees = Math.Max(n - 3, 1);
        return new SaturatingLaw(floor, amplitude, alpha, sign, Math.Sqrt(sseBest / degrees), n) { Bound = bound };
    }

    /// <summary>
    /// Least squares of y = E + s·A·x, x = c^−α, with A ≥ 0 (A = 0 gives the flat fit at the mean) and, with a bound,
    /// E on the metric's side of it (E = bound and A refitted alone when the free E passes it).
    /// </summary>
    private static (double Floor, double Amplitude, double Sse) Solve(double[] scaledCosts, IReadOnlyList<double> outputs, double alpha, double sign, double? bound)
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
        if (bound is { } b && (sign > 0 ? floor < b : floor > b))
        {
            // y − b = A·x with A ≥ 0 (x carries the sign s).
            double xx = 0, xy = 0;
            for (var i = 0; i < n; i++)
            {
                xx += x[i] * x[i];
                xy += x[i] * (outputs[i] - b);
            }
            floor = b;
            amplitude = xx > 1e-300 ? Math.Max(xy / xx, 0.0) : 0.0;
        }
        var sse = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = outputs[i] - (floor + (amplitude * x[i]));
            sse += r * r;
        }
        return (floor, amplitude, sse);
    }
}
