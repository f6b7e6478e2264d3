using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// What a set of recommended settings is predicted to cost: ln cost fitted by least squares as a linear function of
/// the numeric parameters' basic values over the complete successes, evaluated at the settings. For a cost such as
/// FLOPs ∝ width²·depth·steps of log-scaled parameters that form is exact. Each scale-up parameter follows its own
/// law, so nothing else ties the recommendation to the target cost; this check does.
/// </summary>
internal static class RecommendedCost
{
    /// <summary>Below this share of ln cost's variance explained, the fit says nothing about the recommendation's cost.</summary>
    public const double MinRSquared = 0.9;

    /// <summary>
    /// The predicted cost at <paramref name="basicValues"/> (each numeric parameter's basic value) and the fit's R²;
    /// null with fewer successes than parameters + 3, no spread in ln cost, or a singular fit.
    /// </summary>
    public static (double Cost, double RSquared)? Predict(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyDictionary<string, double> basicValues)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(successes);
        ArgumentNullException.ThrowIfNull(basicValues);
        var names = space.Parameters.Where(p => space.NumericTransformOf(p.Name) is not null && basicValues.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        var columns = names.Count + 1;
        if (successes.Count < columns + 2)
        {
            return null;
        }
        double[] Row(Func<string, double> basic) => [1.0, .. names.Select(basic)];
        var rows = successes.Select(o => Row(n => space.NumericTransformOf(n)!.ToBasic(o.Parameters[n].Number))).ToList();
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
        var at = Row(n => basicValues[n]).Zip(rhs, (a, b) => a * b).Sum();
        return (Math.Exp(at), 1.0 - (residual / total));
    }
}
