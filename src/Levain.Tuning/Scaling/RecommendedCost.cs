using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// What a set of recommended settings is predicted to cost: ln cost fitted by least squares as a linear function of
/// the numeric parameters' basic values over the complete successes, evaluated at the settings. For a cost such as
/// FLOPs ∝ width²·depth·steps of log-scaled parameters that form is exact. Each scale-up parameter follows its own
/// law, so nothing else ties the recommendation to the target cost; <see cref="MatchedLogCost"/> reads the laws where
/// this fit says they cost the target.
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

    /// <summary>ln cost = Coefficients[0] + Σₖ Coefficients[k + 1] · basic value of Names[k], and the fit's R².</summary>
    public sealed record Fit(IReadOnlyList<string> Names, double[] Coefficients, double RSquared)
    {
        public double LogCostAt(IReadOnlyDictionary<string, double> basicValues) =>
            Coefficients[0] + Names.Select((n, k) => Coefficients[k + 1] * basicValues[n]).Sum();
    }

    /// <summary>
    /// The least-squares fit of ln cost on the basic values of the numeric parameters among <paramref name="names"/>;
    /// null with fewer successes than parameters + 3, no spread in ln cost, or a singular fit.
    /// </summary>
    public static Fit? FitCost(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(successes);
        ArgumentNullException.ThrowIfNull(names);
        var used = space.Parameters.Where(p => space.NumericTransformOf(p.Name) is not null && names.Contains(p.Name)).Select(p => p.Name).ToList();
        var columns = used.Count + 1;
        if (successes.Count < columns + 2)
        {
            return null;
        }
        var rows = successes.Select(o => (double[])[1.0, .. used.Select(n => space.NumericTransformOf(n)!.ToBasic(o.Parameters[n].Number))]).ToList();
        var y = successes.Select(o => Math.Log(o.Cost)).ToArray();
        if (rows.Any(r => r.Any(v => !double.IsFinite(v))) || y.Any(v => !double.IsFinite(v)))
        {
            return null;
        }
        // Normal equations XᵀX β = Xᵀy, with a tiny ridge so a parameter that never varied does not make them singular.
        var lower = new double[columns][];
        var rhs = new double[columns];
        for (var i = 0; i < columns; i++)
        {
            lower[i] = new double[i + 1];
            for (var j = 0; j <= i; j++)
            {
                lower[i][j] = rows.Sum(r => r[i] * r[j]) + (i == j ? 1e-9 * successes.Count : 0.0);
            }
            rhs[i] = rows.Select((r, k) => r[i] * y[k]).Sum();
        }
        if (!Cholesky.TryFactorize(lower))
        {
            return null;
        }
        Cholesky.SolveLower(lower, rhs);
        Cholesky.SolveUpper(lower, rhs);
        var mean = y.Average();
        var total = y.Sum(v => (v - mean) * (v - mean));
        if (!(total > 0))
        {
            return null;
        }
        var residual = rows.Select((r, k) => y[k] - r.Zip(rhs, (a, b) => a * b).Sum()).Sum(e => e * e);
        return new Fit(used, rhs, 1.0 - (residual / total));
    }

    /// <summary>Settings read at the target that are priced within this factor of it are left there (ln 1.05: 5 %).</summary>
    public static readonly double MatchTolerance = Math.Log(1.05);

    /// <summary>Grid points per side of the target (over ln <see cref="MaxMatchShift"/>) at which rounded settings are priced.</summary>
    public const int MatchGridPoints = 200;

    /// <summary>
    /// The ln cost at which to read the parameters' laws (basic value = intercept + slope · ln cost each) so that the
    /// settings they give, after <paramref name="round"/> (name, basic value → the basic value of the rounded setting),
    /// cost the target by <paramref name="fit"/>. Along the laws the fitted ln cost is linear in ln cost, A + B·ln C,
    /// so before rounding the answer is (ln target − A) / B; rounding (an integer held at one step when its law falls
    /// below it, say) can move the priced cost far from that, so the rounded settings are priced at that point and on
    /// a grid within <see cref="MaxMatchShift"/> of the target, and the ln cost whose rounded settings come closest to
    /// the target is returned (the nearest to (ln target − A) / B among equals). Null — read the laws at the target —
    /// when the settings read there are already priced within <see cref="MatchTolerance"/> of it, when the fit leaves
    /// out a parameter with a law or misses <see cref="MinRSquared"/>, when B is below <see cref="MinMatchSlope"/>, or
    /// when no point in the window prices the rounded settings closer to the target than the target itself does.
    /// </summary>
    public static double? MatchedLogCost(Fit fit, IReadOnlyDictionary<string, (double Intercept, double Slope)> laws, double logTarget,
        Func<string, double, double>? round = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(laws);
        if (fit.RSquared < MinRSquared || laws.Keys.Any(n => !fit.Names.Contains(n)) || fit.Names.Any(n => !laws.ContainsKey(n)))
        {
            return null;
        }
        var a = fit.Coefficients[0] + fit.Names.Select((n, k) => fit.Coefficients[k + 1] * laws[n].Intercept).Sum();
        var b = fit.Names.Select((n, k) => fit.Coefficients[k + 1] * laws[n].Slope).Sum();
        if (!(b >= MinMatchSlope))
        {
            return null;
        }
        round ??= (_, basic) => basic;
        double Miss(double logCost) =>
            Math.Abs(fit.LogCostAt(fit.Names.ToDictionary(n => n, n => round(n, laws[n].Intercept + (laws[n].Slope * logCost)), StringComparer.Ordinal)) - logTarget);
        var atTarget = Miss(logTarget);
        if (atTarget <= MatchTolerance)
        {
            return null;
        }
        var width = Math.Log(MaxMatchShift);
        var exact = (logTarget - a) / b;
        var candidates = Enumerable.Range(-MatchGridPoints, (2 * MatchGridPoints) + 1).Select(i => logTarget + (width * i / MatchGridPoints));
        if (Math.Abs(exact - logTarget) <= width)
        {
            candidates = candidates.Prepend(exact);
        }
        var best = candidates.Select(c => (LogCost: c, Miss: Miss(c))).OrderBy(c => c.Miss).ThenBy(c => Math.Abs(c.LogCost - exact)).First();
        return best.Miss < atTarget - 1e-12 ? best.LogCost : null;
    }
}
