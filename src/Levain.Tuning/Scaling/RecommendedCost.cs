using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// What a set of recommended settings is predicted to cost, fitted over the complete successes: ln cost linear in the
/// numeric parameters' basic values (<see cref="Fit"/>; exact for FLOPs ∝ width²·depth·steps of log-scaled parameters),
/// or, where it predicts left-out trials at least twice as well, a sum of monomials in the parameters' values
/// (<see cref="PolynomialCost"/>; exact for a FLOPs count such as tokens × (6·N + attention), whose ln is not linear).
/// Each scale-up parameter follows its own law, so nothing else ties the recommendation to the target cost;
/// <see cref="MatchedLogCost"/> reads the laws where this model says they cost the target.
/// </summary>
internal static class RecommendedCost
{
    /// <summary>Below this share of ln cost's variance explained, the fit says nothing about the recommendation's cost.</summary>
    public const double MinRSquared = 0.9;

    /// <summary>
    /// The laws are matched to the target only when, along them, ln cost rises at least this much per unit of ln cost
    /// (1 when the laws and the cost fit agree): a flatter rise means the laws barely move the parameters that drive the
    /// cost, and matching would read them far from the target.
    /// </summary>
    public const double MinMatchSlope = 0.25;

    /// <summary>Matching reads the laws at most this factor away from the target (a match beyond it is read at the window's edge, and the miss reported).</summary>
    public const double MaxMatchShift = 10.0;

    /// <summary>The polynomial is used when its median leave-one-out error in ln cost is at most this share of the log-linear fit's.</summary>
    public const double PolynomialErrorShare = 0.5;

    /// <summary>A log-linear fit whose median leave-one-out error in ln cost is below this (0.1 %) is kept: nothing to gain.</summary>
    public const double NegligibleError = 1e-3;

    /// <summary>Leave-one-out comparisons use at most this many left-out trials (evenly spaced through the successes).</summary>
    public const int MaxLeftOut = 64;

    /// <summary>A fitted model of ln cost over the basic values of the numeric parameters <see cref="Names"/>.</summary>
    public abstract record Model(IReadOnlyList<string> Names, double RSquared)
    {
        /// <summary>"log-linear" or "polynomial".</summary>
        public abstract string Form { get; }

        /// <summary>ln cost at the basic values (NaN where the model has no value).</summary>
        public abstract double LogCostAt(IReadOnlyDictionary<string, double> basicValues);
    }

    /// <summary>ln cost = Coefficients[0] + Σₖ Coefficients[k + 1] · basic value of Names[k], and the fit's R².</summary>
    public sealed record Fit(IReadOnlyList<string> Names, double[] Coefficients, double RSquared) : Model(Names, RSquared)
    {
        public override string Form => "log-linear";

        public override double LogCostAt(IReadOnlyDictionary<string, double> basicValues) =>
            Coefficients[0] + Names.Select((n, k) => Coefficients[k + 1] * basicValues[n]).Sum();
    }

    /// <summary>
    /// The cost model over the numeric parameters among <paramref name="names"/>: the log-linear fit, or the polynomial
    /// when both can be fitted and the polynomial's median absolute error in ln cost, each trial predicted by the fit
    /// without it, is at most <see cref="PolynomialErrorShare"/> of the log-linear fit's (a noisy cost such as wall time
    /// gives the two about the same error, and the simpler form is kept), unless the log-linear fit's error is already
    /// below <see cref="NegligibleError"/>. Null when not even the log-linear fit is possible.
    /// </summary>
    public static Model? FitCost(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyCollection<string> names)
    {
        var linear = FitLogLinear(space, successes, names);
        if (linear is null || PolynomialCost.TryFit(space, successes, linear.Names) is not { } polynomial)
        {
            return linear;
        }
        var (polynomialError, linearError) = LeaveOneOutErrors(space, successes, linear.Names);
        return linearError > NegligibleError && polynomialError <= PolynomialErrorShare * linearError ? polynomial : linear;
    }

    /// <summary>The median absolute error in ln cost of the polynomial and the log-linear fit, each left-out trial predicted by fits without it.</summary>
    public static (double Polynomial, double LogLinear) LeaveOneOutErrors(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyList<string> names)
    {
        var step = Math.Max(1, (successes.Count + MaxLeftOut - 1) / MaxLeftOut);
        var polynomial = new List<double>();
        var linear = new List<double>();
        for (var i = 0; i < successes.Count; i += step)
        {
            var rest = successes.Where((_, k) => k != i).ToList();
            var basic = names.ToDictionary(n => n, n => space.NumericTransformOf(n)!.ToBasic(successes[i].Parameters[n].Number), StringComparer.Ordinal);
            var actual = Math.Log(successes[i].Cost);
            // A fit that fails counts as the largest error (finite, so the interpolating median stays defined).
            polynomial.Add(PolynomialCost.TryFit(space, rest, names) is { } p && p.LogCostAt(basic) is var lp && double.IsFinite(lp) ? Math.Abs(lp - actual) : double.MaxValue);
            linear.Add(FitLogLinear(space, rest, names) is { } l && l.LogCostAt(basic) is var ll && double.IsFinite(ll) ? Math.Abs(ll - actual) : double.MaxValue);
        }
        return (ParetoSet.Quantile(polynomial, 0.5), ParetoSet.Quantile(linear, 0.5));
    }

    /// <summary>
    /// The least-squares fit of ln cost on the basic values of the numeric parameters among <paramref name="names"/> (a
    /// parameter that never varied, or one collinear with those before it, gets coefficient 0); null with fewer
    /// successes than parameters + 3 or no spread in ln cost.
    /// </summary>
    public static Fit? FitLogLinear(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(successes);
        ArgumentNullException.ThrowIfNull(names);
        var used = space.Parameters.Where(p => space.NumericTransformOf(p.Name) is not null && names.Contains(p.Name)).Select(p => p.Name).ToList();
        if (successes.Count < used.Count + 3)
        {
            return null;
        }
        var rows = successes.Select(o => (double[])[1.0, .. used.Select(n => space.NumericTransformOf(n)!.ToBasic(o.Parameters[n].Number))]).ToList();
        var y = successes.Select(o => Math.Log(o.Cost)).ToArray();
        if (rows.Any(r => r.Any(v => !double.IsFinite(v))) || y.Any(v => !double.IsFinite(v)))
        {
            return null;
        }
        var coefficients = LeastSquares.SolveRows(rows, y);
        var mean = y.Average();
        var total = y.Sum(v => (v - mean) * (v - mean));
        if (!(total > 0))
        {
            return null;
        }
        var residual = rows.Select((r, k) => y[k] - r.Zip(coefficients, (a, b) => a * b).Sum()).Sum(e => e * e);
        return new Fit(used, coefficients, 1.0 - (residual / total));
    }

    /// <summary>Settings read at the target that are priced within this factor of it are left there (ln 1.05: 5 %).</summary>
    public static readonly double MatchTolerance = Math.Log(1.05);

    /// <summary>Grid points per side of the target (over ln <see cref="MaxMatchShift"/>) at which rounded settings are priced.</summary>
    public const int MatchGridPoints = 200;

    /// <summary>
    /// The ln cost at which to read the parameters' laws (basic value = intercept + slope · ln cost each) so that the
    /// settings they give, after <paramref name="round"/> (name, basic value → the basic value of the rounded setting),
    /// cost the target by <paramref name="fit"/>. Along the laws a log-linear fit is itself linear in ln cost, A + B·ln C,
    /// so before rounding the answer is (ln target − A) / B; a polynomial is only nearly so, and the same point is found
    /// by Newton steps on its slope along the laws. Rounding (an integer held at one step when its law falls below it,
    /// say) can move the priced cost far from that, so the rounded settings are priced at that point and on a grid
    /// within <see cref="MaxMatchShift"/> of the target, and the ln cost whose rounded settings come closest to the
    /// target is returned (the nearest to the unrounded solution among equals). Null — read the laws at the target —
    /// when the settings read there are already priced within <see cref="MatchTolerance"/> of it, when the fit leaves
    /// out a parameter with a law or misses <see cref="MinRSquared"/>, when B, the rise of the fitted ln cost per unit of
    /// ln cost along the laws at the target, is below <see cref="MinMatchSlope"/>, or when no point in the window prices
    /// the rounded settings closer to the target than the target itself does.
    /// </summary>
    public static double? MatchedLogCost(Model fit, IReadOnlyDictionary<string, (double Intercept, double Slope)> laws, double logTarget,
        Func<string, double, double>? round = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(laws);
        if (fit.RSquared < MinRSquared || laws.Keys.Any(n => !fit.Names.Contains(n)) || fit.Names.Any(n => !laws.ContainsKey(n)))
        {
            return null;
        }
        double Priced(double logCost, Func<string, double, double> rounding)
        {
            var logCostThere = fit.LogCostAt(fit.Names.ToDictionary(n => n, n => rounding(n, laws[n].Intercept + (laws[n].Slope * logCost)), StringComparer.Ordinal));
            return double.IsFinite(logCostThere) ? logCostThere : double.NaN;
        }
        double Unrounded(double logCost) => Priced(logCost, (_, basic) => basic);
        double SlopeAt(double logCost) => Unrounded(logCost + 0.5) - Unrounded(logCost - 0.5); // a central difference over one unit
        if (!(SlopeAt(logTarget) >= MinMatchSlope))
        {
            return null;
        }
        // Newton steps on the unrounded price (one is exact for the log-linear fit).
        var exact = logTarget;
        for (var step = 0; step < 20; step++)
        {
            var slope = SlopeAt(exact);
            var next = exact + ((logTarget - Unrounded(exact)) / slope);
            if (!(slope > 0) || !double.IsFinite(next))
            {
                break;
            }
            var done = Math.Abs(next - exact) < 1e-12;
            exact = next;
            if (done)
            {
                break;
            }
        }
        round ??= (_, basic) => basic;
        double Miss(double logCost) => Math.Abs(Priced(logCost, round) - logTarget) is var miss && double.IsFinite(miss) ? miss : double.PositiveInfinity;
        var atTarget = Miss(logTarget);
        if (atTarget <= MatchTolerance)
        {
            return null;
        }
        var width = Math.Log(MaxMatchShift);
        var candidates = Enumerable.Range(-MatchGridPoints, (2 * MatchGridPoints) + 1).Select(i => logTarget + (width * i / MatchGridPoints));
        if (Math.Abs(exact - logTarget) <= width)
        {
            candidates = candidates.Prepend(exact);
        }
        var best = candidates.Select(c => (LogCost: c, Miss: Miss(c))).OrderBy(c => c.Miss).ThenBy(c => Math.Abs(c.LogCost - exact)).First();
        return best.Miss < atTarget - 1e-12 ? best.LogCost : null;
    }
}
