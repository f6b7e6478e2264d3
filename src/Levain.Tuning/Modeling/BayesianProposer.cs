using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// The Bayesian phase (docs/tuner.md A5–A6, B1, B4, B5) for one <c>Suggest</c> call: fits the output, cost, success and
/// Pareto-curve models once, generates and scores candidates, and hands out a diverse batch — after each pick the
/// output posterior is conditioned on a fantasy at that point (a Thompson draw or the mean).
/// </summary>
internal sealed partial class BayesianProposer
{
    /// <summary>Hyperparameters are fitted on at most this many points (a random subset); the final GP uses all.</summary>
    public const int MaxFitPoints = 256;

    /// <summary>L-BFGS iterations for a cold fit and for a warm-started refit.</summary>
    public const int ColdIterations = 80;

    public const int WarmIterations = 20;

    /// <summary>κ in P(success) = Φ(κ·μ_s), μ_s the success model's mean on ±1 labels.</summary>
    public const double SuccessSharpness = 2.0;

    private readonly SearchSpace _space;
    private readonly CarbsOptions _options;
    private readonly Xoshiro256StarStar _rng;
    private readonly Action<string> _log;
    private readonly double[] _modelCenter;
    private readonly List<ObservationGroup> _front;
    private readonly CostTransform _costTransform;
    private readonly GaussianProcess _curve;
    private readonly double _frontCostMin;
    private readonly double _frontCostMax;
    private readonly LazyCandidatePosterior _output;
    private readonly LazyCandidatePosterior _cost;
    private readonly double _costQuantileZ;
    private readonly GaussianProcess _costModel;
    private readonly List<double[]> _candidatesInBasic;
    private readonly double[] _costMeans;
    private readonly double[] _curveAtCandidate;
    private readonly double[] _logPrior;
    private readonly double[] _probabilityOfSuccess;
    private readonly int[] _originOf;
    private readonly double _spentFraction;
    private readonly bool[] _taken;

    public static BayesianProposer? TryCreate(
        SearchSpace space,
        CarbsOptions options,
        IReadOnlyList<Observation> observations,
        IReadOnlyList<double[]> outstandingInBasic,
        ModelStore store,
        Xoshiro256StarStar rng,
        Action<string> log,
        Func<string, double>? radiusOf = null,
        double spentFraction = 0.0,
        double targetCost = double.PositiveInfinity)
    {
        var successes = observations.Where(o => !o.IsFailure).ToList();
        // The cheap end of the front is dropped as the budget is spent: the cost quantile where the front starts moves
        // from MinParetoCostFraction to LateMinParetoCostFraction (when set), linearly in the spent fraction.
        var minCostFraction = options.LateMinParetoCostFraction is { } late
            ? options.MinParetoCostFraction + ((late - options.MinParetoCostFraction) * Math.Clamp(spentFraction, 0.0, 1.0))
            : options.MinParetoCostFraction;
        var front = ParetoGroups.Front(space, [.. successes.Where(o => !o.IsPartial)], options.Direction, minCostFraction);
        if (front.Count == 0)
        {
            log("Bayesian phase needs at least one successful observation; falling back to centered random sampling.");
            return null;
        }
        var center = space.CenterInBasic;
        double[] ToModelInput(double[] xInBasic) => CenterContinuous(space, center, xInBasic);
        var models = SurrogateModels.TryFit(space, options, observations, successes, front, ToModelInput, store, log);
        return models is null ? null : new BayesianProposer(space, options, models, outstandingInBasic, rng, log, radiusOf ?? (_ => options.SearchRadius), spentFraction, targetCost,
            DearForRefinement(space, options, successes, spentFraction, ToModelInput, store));
    }

    /// <summary>
    /// As above with a bare hyperparameter dictionary (warm starts; updated) instead of a <see cref="ModelStore"/>: every
    /// model is refitted and factorised from scratch, nothing is cached.
    /// </summary>
    public static BayesianProposer? TryCreate(
        SearchSpace space,
        CarbsOptions options,
        IReadOnlyList<Observation> observations,
        IReadOnlyList<double[]> outstandingInBasic,
        Dictionary<string, double[]> hyperparameters,
        Xoshiro256StarStar rng,
        Action<string> log,
        Func<string, double>? radiusOf = null,
        double spentFraction = 0.0,
        double targetCost = double.PositiveInfinity) =>
        TryCreate(space, options, observations, outstandingInBasic, new ModelStore(hyperparameters, new(StringComparer.Ordinal), incremental: false),
            rng, log, radiusOf, spentFraction, targetCost);

    /// <summary>Candidates scored (for tests and diagnostics).</summary>
    public int CandidateCount => _candidatesInBasic.Count;

    /// <summary>Each candidate's distance (basic units) to the Pareto point it was drawn around, and whether that point is the dearest (for tests and diagnostics).</summary>
    internal IEnumerable<(double Distance, bool FromDearest)> CandidateOrigins() =>
        _candidatesInBasic.Select((c, j) => (Math.Sqrt(c.Zip(_origins[_originOf[j]].XInBasic, (a, b) => (a - b) * (a - b)).Sum()), _originOf[j] == _front.Count - 1));

    /// <summary>The exploration bias in force: β annealed linearly to 0 as the budget is spent.</summary>
    public double EffectiveExplorationBias => _options.ExplorationBias * (1.0 - _spentFraction);

    /// <summary>The cost model's mean prediction (cost units) at a point, e.g. an outstanding suggestion.</summary>
    public double PredictedCost(double[] xInBasic) => _costTransform.Inverse(_costModel.PredictMeans([ToModelInput(xInBasic)])[0]);

    /// <summary>
    /// Picks the next point of the batch among the candidates whose <see cref="CarbsOptions.CostQuantile"/> upper cost
    /// quantile is at most <paramref name="costLimit"/> (a hard constraint), and conditions the output model on a
    /// fantasy there. <paramref name="preferredCostLimits"/> (the anytime caps of
    /// <see cref="CarbsOptions.AnytimeCheckpointRatio"/>) are tried in ascending order when the pick exceeds them: the
    /// pick is replaced by the best candidate under the first cap that any candidate fits under. Null when no candidate
    /// fits the limit.
    /// </summary>
    public ProposedPoint? Next(double costLimit, IReadOnlyList<double>? preferredCostLimits = null)
    {
        if (_pendingFantasy is { } pending)
        {
            _output.Condition(pending.Index, pending.Value);
            _pendingFantasy = null;
        }
        if (TryRefine(costLimit, preferredCostLimits) is { } refined)
        {
            return refined;
        }
        var floorTarget = RandomCostTarget(costLimit);
        var beta = EffectiveExplorationBias;
        var (affordableIndices, cheapestAffordable) = Affordable(costLimit);
        if (affordableIndices.Count == 0)
        {
            _log($"No candidate's {_options.CostQuantile:P0} cost quantile fits under {costLimit:G4} (cost cap and budget left); no suggestion.");
            return null;
        }
        var (best, bestScore, bestLogEi, bestTarget) = BestCandidate(affordableIndices, floorTarget, beta);
        // The anytime caps only act when they bind: a pick above the first cap that some candidate fits under is replaced
        // by the best candidate under that cap (the expected-improvement floor read off the curve up to the cap).
        foreach (var cap in (preferredCostLimits ?? []).Where(l => l < costLimit).Order())
        {
            if (best >= 0 && CostUpper(best) <= cap)
            {
                break;
            }
            var (under, cheapestUnder) = Affordable(cap);
            if (under.Count == 0)
            {
                _log($"No candidate's {_options.CostQuantile:P0} cost quantile fits under the anytime cap {cap:G4}.");
                continue;
            }
            floorTarget = RandomCostTarget(cap);
            (affordableIndices, cheapestAffordable) = (under, cheapestUnder);
            (best, bestScore, bestLogEi, bestTarget) = BestCandidate(affordableIndices, floorTarget, beta);
            break;
        }
        if (best < 0)
        {
            best = cheapestAffordable;
            bestTarget = Math.Max(_curveAtCandidate[best], floorTarget);
            bestLogEi = LogExpectedImprovement(_output.Means[best], Math.Sqrt(_output.Variance(best)), bestTarget, beta);
            bestScore = double.NegativeInfinity;
            _log("No affordable candidate has a positive acquisition (all below the target); suggesting the cheapest predicted affordable candidate.");
        }
        return Take(best, bestTarget, bestLogEi, bestScore, beta, costLimit);
    }

    /// <summary>Takes candidate <paramref name="best"/> as the pick: its acquisition terms, and a fantasy there conditioned at the next call.</summary>
    private ProposedPoint Take(int best, double bestTarget, double bestLogEi, double bestScore, double beta, double costLimit,
        (double Mean, double StdDev)? prediction = null)
    {
        var (outputMean, outputStdDev) = (_output.Means[best], Math.Sqrt(_output.Variance(best)));
        var (mean, stdDev) = prediction ?? (outputMean, outputStdDev);
        var predictedCost = _costTransform.Inverse(_costMeans[best]);
        var costStdDev = CostStdDev(best, _cost.Variance(best));
        var withinLimit = double.IsPositiveInfinity(costLimit) ? 1.0
            : NormalDistribution.Cdf((_costTransform.Transform(costLimit) - _costMeans[best]) / costStdDev);
        var terms = new AcquisitionTerms(
            mean,
            stdDev,
            bestTarget,
            predictedCost,
            Math.Exp(bestLogEi),
            Math.Exp(_logPrior[best]),
            _probabilityOfSuccess[best],
            withinLimit,
            Math.Exp(bestScore))
        {
            CostUpperQuantile = CostUpper(best),
            ExplorationBias = beta,
        };
        var fantasy = _options.OutstandingEstimator == OutstandingEstimator.Thompson ? outputMean + (outputStdDev * _rng.NextNormal()) : outputMean;
        // Conditioned at the start of the next call: the last point of a batch needs no conditioning.
        _pendingFantasy = (best, fantasy);
        _taken[best] = true;
        return new ProposedPoint(_candidatesInBasic[best], terms, IsGlobal(best) ? null : _origins[_originOf[best]].Key, predictedCost);
    }

    /// <summary>The open candidates whose upper cost quantile is at most <paramref name="limit"/>, and the cheapest of them (−1: none).</summary>
    private (List<int> Indices, int Cheapest) Affordable(double limit)
    {
        ResolveAffordability(limit);
        var indices = new List<int>();
        var cheapest = -1;
        for (var j = 0; j < Math.Min(_candidatesInBasic.Count, _refinementStart); j++)
        {
            if (_taken[j] || CostUpper(j) > limit)
            {
                continue;
            }
            indices.Add(j);
            if (cheapest < 0 || _costMeans[j] < _costMeans[cheapest])
            {
                cheapest = j;
            }
        }
        return (indices, cheapest);
    }

    /// <summary>Candidates examined exactly per step of <see cref="BestCandidate"/>.</summary>
    private const int ExactChunk = 32;

    /// <summary>
    /// The affordable candidate with the largest score ln EI + ln prior + ln P(success) (the first by index among
    /// equals; −1 if every score is −∞), found by branch and bound: EI rises with σ, so a score computed with a
    /// candidate's variance bound bounds its exact score; candidates are taken in order of that bound, their exact
    /// variances computed <see cref="ExactChunk"/> at a time, until the next bound is below the best exact score.
    /// The result is the exhaustive argmax.
    /// </summary>
    private (int Best, double Score, double LogEi, double Target) BestCandidate(List<int> affordable, double floorTarget, double beta)
    {
        double TargetOf(int j) => Math.Max(_curveAtCandidate[j], floorTarget);
        double ScoreAt(int j, double variance) =>
            LogExpectedImprovement(_output.Means[j], Math.Sqrt(variance), TargetOf(j), beta) + _logPrior[j] + Math.Log(_probabilityOfSuccess[j]);
        var bounds = new double[affordable.Count];
        for (var q = 0; q < bounds.Length; q++)
        {
            var j = affordable[q];
            var score = ScoreAt(j, _output.VarianceBound(j));
            bounds[q] = _output.IsExact(j) || !double.IsFinite(score) ? score : score + (1e-9 * (1.0 + Math.Abs(score)));
        }
        var order = Enumerable.Range(0, affordable.Count).OrderByDescending(q => bounds[q]).ThenBy(q => affordable[q]).ToArray();
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var start = 0; start < order.Length; start += ExactChunk)
        {
            var bound = bounds[order[start]];
            if (double.IsNegativeInfinity(bound) || bound < bestScore)
            {
                break;
            }
            var chunk = order.Skip(start).Take(ExactChunk).TakeWhile(q => bounds[q] >= bestScore && !double.IsNegativeInfinity(bounds[q])).Select(q => affordable[q]).ToArray();
            _output.EnsureExact(chunk);
            foreach (var j in chunk)
            {
                var score = ScoreAt(j, _output.Variance(j));
                if (score > bestScore || (score == bestScore && best >= 0 && j < best))
                {
                    (best, bestScore) = (j, score);
                }
            }
        }
        if (best < 0)
        {
            return (-1, double.NegativeInfinity, double.NegativeInfinity, 0);
        }
        var target = TargetOf(best);
        return (best, bestScore, LogExpectedImprovement(_output.Means[best], Math.Sqrt(_output.Variance(best)), target, beta), target);
    }

    /// <summary>Predictive (latent + noise) spread of the transformed log cost at a candidate, for a given latent variance.</summary>
    private double CostStdDev(int j, double latentVariance) => Math.Max(Math.Sqrt(latentVariance + _costModel.Kernel.NoiseVariance), 1e-12);

    /// <summary>
    /// The <see cref="CarbsOptions.CostQuantile"/> upper cost quantile at a candidate (the quantile maps back
    /// monotonically), from its exact cost variance or, before that is computed, from its bound — an upper bound then.
    /// </summary>
    private double CostUpper(int j) => _costTransform.Inverse(_costMeans[j] + (_costQuantileZ * CostStdDev(j, _cost.VarianceBound(j))));

    /// <summary>
    /// Computes exactly, in one batch, the cost variances of the open candidates whose affordability the bounds leave
    /// open: upper quantile with zero latent variance ≤ limit &lt; upper quantile with the bound. Every other open
    /// candidate is then decided by its bound alone (none, when the limit is infinite).
    /// </summary>
    private void ResolveAffordability(double costLimit)
    {
        if (double.IsPositiveInfinity(costLimit))
        {
            return;
        }
        if (!_costBoundsTightened && _anchors is not null)
        {
            _cost.TightenBounds(_costModel.VarianceUpperBounds(_modelInputs!, _originOf, _anchors));
            _costBoundsTightened = true;
        }
        var open = new List<int>();
        for (var j = 0; j < _candidatesInBasic.Count; j++)
        {
            if (!_taken[j] && !_cost.IsExact(j) && CostUpper(j) > costLimit
                && _costTransform.Inverse(_costMeans[j] + (_costQuantileZ * CostStdDev(j, 0.0))) <= costLimit)
            {
                open.Add(j);
            }
        }
        _cost.EnsureExact(open);
    }

    /// <summary>ln EI with EI = σ·(φ(z) + z·Φ(z)), z = (μ − π − β)/σ; the σ → 0 limit is max(μ − π − β, 0).</summary>
    internal static double LogExpectedImprovement(double mean, double stdDev, double target, double bias)
    {
        var gain = mean - target - bias;
        if (!(stdDev > 1e-12))
        {
            return gain > 0 ? Math.Log(gain) : double.NegativeInfinity;
        }
        return Math.Log(stdDev) + NormalDistribution.LogExpectedImprovementFactor(gain / stdDev);
    }

    /// <summary>
    /// π floor: the Pareto curve at a cost drawn log-uniformly between the cheapest and dearest Pareto point (capped by the
    /// limit); with <see cref="CarbsOptions.FloorTargetTowardTarget"/> the uniform quantile u becomes u^(1 − spent fraction).
    /// </summary>
    private double RandomCostTarget(double costLimit)
    {
        var low = _front[0].Cost;
        var high = Math.Min(_front[^1].Cost, costLimit);
        if (_options.MaxSuggestionCost is { } cap)
        {
            high = Math.Min(high, cap);
        }
        double cost;
        if (low > 0 && high > low)
        {
            var u = _rng.NextDouble();
            if (_options.FloorTargetTowardTarget)
            {
                u = Math.Pow(u, 1.0 - _spentFraction);
            }
            cost = Math.Exp(Math.Log(low) + (u * (Math.Log(high) - Math.Log(low))));
        }
        else
        {
            cost = low;
            _rng.NextDouble();
        }
        var t = Math.Clamp(_costTransform.Transform(cost), _frontCostMin, _frontCostMax);
        return _curve.Predict([t]).Mean;
    }
}
