namespace Levain.Tuning.Modeling;

/// <summary>
/// Global candidates (<see cref="CarbsOptions.GlobalCandidateShare"/>): a share of the pool drawn from the whole search
/// box, so the acquisition can choose a point in another basin than the Pareto points'.
/// </summary>
internal sealed partial class BayesianProposer
{
    /// <summary>Half width (in search radii) of the global box on a side without a bound: 3σ of the initial design.</summary>
    internal const double GlobalUnboundedHalfWidthInRadii = 3 * InitialDesign.WidthInRadii;

    /// <summary>Redraws of a global candidate that canonicalisation moved out of the bounds.</summary>
    private const int GlobalRedraws = 20;

    /// <summary>
    /// Candidates [0, _localCount) are drawn around origins, [_localCount, <see cref="OrdinaryCount"/>) are global, and
    /// the answer refinement's candidates, if any, follow them.
    /// </summary>
    private int _localCount;

    /// <summary>ln of the uniform density over the global box (continuous widths and category counts).</summary>
    private double _globalLogDensity;

    /// <summary>The global share in force: g × (1 − annealing × spent fraction), within [0, 1].</summary>
    internal double GlobalShare =>
        Math.Clamp(_options.GlobalCandidateShare * (1.0 - (Math.Clamp(_options.GlobalCandidateAnnealing, 0.0, 1.0) * _spentFraction)), 0.0, 1.0);

    /// <summary>Whether candidate <paramref name="j"/> was drawn from the whole box (for tests and diagnostics).</summary>
    internal bool IsGlobal(int j) => j >= _localCount && j < OrdinaryCount;

    /// <summary>The local and global candidates, before the refinement candidates.</summary>
    private int OrdinaryCount => Math.Min(_candidatesInBasic.Count, _refinementStart);

    /// <summary>
    /// Appends <paramref name="wanted"/> global candidates: a Latin hypercube over the box of
    /// <see cref="Spaces.SearchSpace.ContinuousBoxInBasic"/> (coordinate j of candidate i is low_j + (π_j(i) + u)/n ×
    /// width_j, π_j a random permutation), categories uniform, integers rounded; a candidate that rounding moved out of
    /// the bounds is redrawn uniformly in the box. Every draw comes from the tuner's generator, so a restored tuner
    /// repeats them. Each one's origin is the nearest Pareto point (its radius prices the prior; the variance bounds
    /// stay valid for any grouping), but a pick among them updates no trust region.
    /// </summary>
    private void AddGlobalCandidates(int wanted, List<double[]> candidates, List<int> origins)
    {
        var box = _space.ContinuousBoxInBasic(GlobalUnboundedHalfWidthInRadii * _options.SearchRadius);
        var continuous = _space.ContinuousDimension;
        _globalLogDensity = 0.0;
        foreach (var (low, high) in box)
        {
            _globalLogDensity -= Math.Log(Math.Max(high - low, 1e-12));
        }
        for (var k = 0; k < _space.CategoricalDimension; k++)
        {
            _globalLogDensity -= Math.Log(_space.CategoryCount(k));
        }
        if (wanted <= 0)
        {
            return;
        }
        var strata = new int[continuous][];
        for (var j = 0; j < continuous; j++)
        {
            strata[j] = Enumerable.Range(0, wanted).ToArray();
            for (var i = wanted - 1; i > 0; i--)
            {
                var swap = _rng.NextInt(i + 1);
                (strata[j][i], strata[j][swap]) = (strata[j][swap], strata[j][i]);
            }
        }
        var radii = _origins.Select(g => _radiusOf(g.Key)).ToArray();
        for (var i = 0; i < wanted; i++)
        {
            var x = new double[_space.BasicDimension];
            var inside = false;
            for (var attempt = 0; attempt <= GlobalRedraws && !inside; attempt++)
            {
                for (var j = 0; j < continuous; j++)
                {
                    var u = attempt == 0 ? (strata[j][i] + _rng.NextDouble()) / wanted : _rng.NextDouble();
                    x[j] = box[j].Low + (u * (box[j].High - box[j].Low));
                }
                for (var k = 0; k < _space.CategoricalDimension; k++)
                {
                    x[continuous + k] = _rng.NextInt(_space.CategoryCount(k));
                }
                _space.Canonicalize(x);
                inside = _space.IsWithinBounds(x);
            }
            if (!inside)
            {
                continue;
            }
            candidates.Add(x);
            origins.Add(NearestOrigin(x, radii));
        }
        if (candidates.Count - _localCount < wanted)
        {
            _log($"Only {candidates.Count - _localCount} of {wanted} global candidates fell inside the bounds.");
        }
    }

    /// <summary>The origin nearest to a point (a categorical mismatch counts as that origin's radius, as in the prior).</summary>
    private int NearestOrigin(double[] x, double[] radii)
    {
        var continuous = _space.ContinuousDimension;
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var o = 0; o < _origins.Count; o++)
        {
            var origin = _origins[o].XInBasic;
            var d2 = 0.0;
            for (var k = 0; k < x.Length; k++)
            {
                var diff = k < continuous ? x[k] - origin[k] : (x[k] == origin[k] ? 0.0 : radii[o]);
                d2 += diff * diff;
            }
            if (d2 < bestDistance)
            {
                (best, bestDistance) = (o, d2);
            }
        }
        return best;
    }
}
