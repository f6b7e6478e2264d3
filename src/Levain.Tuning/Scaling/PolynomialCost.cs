using System.Globalization;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Scaling;

/// <summary>
/// Cost as a sum of monomials in the parameters' own values with non-negative coefficients, Σₖ cₖ·Πⱼ xⱼ^eₖⱼ with every
/// exponent 0, 1 or 2: the form of a FLOPs count (tokens × (6·N + attention) has width·steps, depth·width²·steps and
/// depth·width·steps terms) or of a fixed overhead plus per-step work. Fitted by non-negative least squares on the
/// relative error over the complete successes. Where a cost is such a sum the fit is exact, and it extrapolates where
/// ln cost linear in ln x cannot: that form's slope in each parameter is the one averaged over the trials, so a term
/// that dominates only at larger sizes (width² beside width) is under-priced beyond them.
/// </summary>
internal sealed record PolynomialCost(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Drivers,
    IReadOnlyList<PolynomialCost.Term> Terms,
    IReadOnlyDictionary<string, NumericTransform> Transforms,
    double RSquared) : RecommendedCost.Model(Names, RSquared)
{
    /// <summary>A parameter enters the monomials when ln cost rises at least this much per unit of its ln value (its elasticity in a log-log fit).</summary>
    public const double MinElasticity = 0.2;

    /// <summary>At most this many parameters enter the monomials (3⁵ = 243 of them).</summary>
    public const int MaxDrivers = 5;

    /// <summary>cₖ·Πⱼ xⱼ^eₖⱼ, the exponents in the order of <see cref="Drivers"/>.</summary>
    public sealed record Term(double Coefficient, IReadOnlyList<int> Exponents);

    public override string Form => "polynomial";

    public override double LogCostAt(IReadOnlyDictionary<string, double> basicValues)
    {
        var values = Drivers.Select(d => Transforms[d].FromBasic(basicValues[d])).ToArray();
        var cost = Terms.Sum(t => t.Coefficient * Monomial(values, t.Exponents));
        return cost > 0 && double.IsFinite(cost) ? Math.Log(cost) : double.NaN;
    }

    /// <summary>Terms below this share of the cost where the formula is shown are counted, not written out.</summary>
    public const double ShownTermShare = 1e-3;

    /// <summary>
    /// The terms, largest first at <paramref name="basicValues"/>, as "c·width²·depth·steps + …"; those below
    /// <see cref="ShownTermShare"/> of the cost there are summarised as "+ k terms under 0.1 %".
    /// </summary>
    public string Formula(IReadOnlyDictionary<string, double> basicValues)
    {
        var values = Drivers.Select(d => Transforms[d].FromBasic(basicValues[d])).ToArray();
        var sized = Terms.Select(t => (Term: t, Size: t.Coefficient * Monomial(values, t.Exponents))).OrderByDescending(t => t.Size).ToList();
        var total = sized.Sum(t => t.Size);
        var shown = sized.Where(t => t.Size >= ShownTermShare * total).Select(t =>
        {
            var factors = Drivers.Select((d, j) => t.Term.Exponents[j] switch { 0 => null, 1 => d, _ => d + "²" }).Where(f => f is not null);
            return string.Join("·", factors.Prepend(t.Term.Coefficient.ToString("G4", CultureInfo.InvariantCulture)));
        }).ToList();
        var hidden = sized.Count - shown.Count;
        return string.Join(" + ", shown) + (hidden > 0 ? $" + {hidden} term{(hidden == 1 ? "" : "s")} under {(100 * ShownTermShare).ToString("G3", CultureInfo.InvariantCulture)} %" : "");
    }

    /// <summary>
    /// The fit over <paramref name="names"/> (each numeric and positive in every success); the parameters whose
    /// elasticity reaches <see cref="MinElasticity"/> enter the monomials. Null when a parameter is not positive
    /// everywhere, when cost falls with one (elasticity ≤ −<see cref="MinElasticity"/>: not a sum of positive terms),
    /// when none or more than <see cref="MaxDrivers"/> drive the cost, or with fewer successes than monomials' worth
    /// of information (fewer than 8).
    /// </summary>
    public static PolynomialCost? TryFit(SearchSpace space, IReadOnlyList<Observation> successes, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(successes);
        ArgumentNullException.ThrowIfNull(names);
        if (successes.Count < 8 || names.Count == 0 || successes.Any(o => !(o.Cost > 0)))
        {
            return null;
        }
        if (names.Any(n => space.NumericTransformOf(n) is null || successes.Any(o => !(o.Parameters[n].Number > 0))))
        {
            return null;
        }
        var logCosts = successes.Select(o => Math.Log(o.Cost)).ToArray();
        // Elasticities: ln cost on the parameters' ln values (one held at a single value is dependent on the intercept: 0).
        var elasticities = LeastSquares.SolveRows([.. successes.Select(o => (double[])[1.0, .. names.Select(n => Math.Log(o.Parameters[n].Number))])], logCosts);
        if (names.Select((_, k) => elasticities[k + 1]).Any(e => e <= -MinElasticity))
        {
            return null;
        }
        var drivers = names.Where((_, k) => elasticities[k + 1] >= MinElasticity).ToList();
        if (drivers.Count is 0 or > MaxDrivers)
        {
            return null;
        }
        var transforms = names.ToDictionary(n => n, n => space.NumericTransformOf(n)!, StringComparer.Ordinal);
        var values = successes.Select(o => drivers.Select(d => o.Parameters[d].Number).ToArray()).ToList();
        var terms = FitTerms(values, [.. successes.Select(o => o.Cost)], drivers.Count);
        if (terms.Count == 0)
        {
            return null;
        }
        var model = new PolynomialCost(names, drivers, terms, transforms, 0.0);
        var predicted = successes.Select(o => model.LogCostAt(names.ToDictionary(n => n, n => transforms[n].ToBasic(o.Parameters[n].Number), StringComparer.Ordinal))).ToArray();
        var mean = logCosts.Average();
        var total = logCosts.Sum(v => (v - mean) * (v - mean));
        if (!(total > 0) || predicted.Any(p => !double.IsFinite(p)))
        {
            return null;
        }
        return model with { RSquared = 1.0 - (logCosts.Zip(predicted, (y, p) => (y - p) * (y - p)).Sum() / total) };
    }

    /// <summary>
    /// The non-negative least-squares fit of Σₖ cₖ·Πⱼ xⱼ^eₖⱼ (every exponent 0, 1 or 2) to <paramref name="costs"/>,
    /// each row divided by its cost so the error is relative; the terms with a positive coefficient.
    /// </summary>
    public static List<Term> FitTerms(IReadOnlyList<double[]> values, IReadOnlyList<double> costs, int drivers)
    {
        var exponents = Exponents(drivers);
        var columns = exponents.Select(e => values.Select((x, i) => Monomial(x, e) / costs[i]).ToArray()).ToList();
        // Unit-norm columns: the monomials' scales differ by orders of magnitude (steps² against width).
        var norms = columns.Select(c => Math.Sqrt(c.Sum(v => v * v))).ToArray();
        var scaled = columns.Select((c, k) => c.Select(v => v / norms[k]).ToArray()).ToList();
        var solution = NonNegativeLeastSquares.Solve(scaled, [.. Enumerable.Repeat(1.0, costs.Count)]);
        return [.. exponents.Select((e, k) => new Term(solution[k] / norms[k], e)).Where(t => t.Coefficient > 0 && double.IsFinite(t.Coefficient))];
    }

    private static List<int[]> Exponents(int drivers)
    {
        var all = new List<int[]> { new int[drivers] };
        for (var j = 0; j < drivers; j++)
        {
            all = [.. all.SelectMany(e => new[] { 0, 1, 2 }.Select(p => { var next = (int[])e.Clone(); next[j] = p; return next; }))];
        }
        return all;
    }

    private static double Monomial(IReadOnlyList<double> values, IReadOnlyList<int> exponents)
    {
        var product = 1.0;
        for (var j = 0; j < exponents.Count; j++)
        {
            for (var p = 0; p < exponents[j]; p++)
            {
                product *= values[j];
            }
        }
        return product;
    }
}
