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
    private readonly CandidatePosterior _output;
    private readonly GaussianProcess _costModel;
    private readonly List<double[]> _candidatesInBasic;
    private readonly double[] _costMeans;
    private readonly double[] _curveAtCandidate;
    private readonly double[] _logPrior;
    private readonly double[] _probabilityOfSuccess;
    private readonly double[] _costUpper;
    private readonly double[] _costStdDevs;
    private readonly int[] _originOf;
    private readonly double _spentFraction;
    private readonly bool[] _taken;

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
        var models = SurrogateModels.TryFit(space, options, observations, successes, front, ToModelInput, hyperparameters, log);
        return models is null ? null : new BayesianProposer(space, options, models, outstandingInBasic, rng, log, radiusOf ?? (_ => options.SearchRadius), spentFraction, targetCost);
    }

    /// <summary>Candidates scored (for tests and diagnostics).</summary>
    public int CandidateCount => _candidatesInBasic.Count;

    /// <summary>Each candidate's distance (basic units) to the Pareto point it was drawn around, and whether that point is the dearest (for tests and diagnostics).</summary>
    internal IEnumerable<(double Distance, bool FromDearest)> CandidateOrigins() =>
        _candidatesInBasic.Select((c, j) => (Math.Sqrt(c.Zip(_front[_originOf[j]].XInBasic, (a, b) => (a - b) * (a - b)).Sum()), _originOf[j] == _front.Count - 1));

    /// <summary>The exploration bias in force: β annealed linearly to 0 as the budget is spent.</summary>
    public double EffectiveExplorationBias => _options.ExplorationBias * (1.0 - _spentFraction);

    /// <summary>The cost model's mean prediction (cost units) at a point, e.g. an outstanding suggestion.</summary>
    public double PredictedCost(double[] xInBasic) => _costTransform.Inverse(_costModel.PredictMeans([ToModelInput(xInBasic)])[0]);

    /// <summary>
    /// Picks the next point of the batch among the candidates whose <see cref="CarbsOptions.CostQuantile"/> upper cost
    /// quantile is at most <paramref name="costLimit"/> (a hard constraint), and conditions the output model on a
    /// fantasy there. Null when no candidate fits the limit.
    /// </summary>
    public ProposedPoint? Next(double costLimit)
    {
        var floorTarget = RandomCostTarget(costLimit);
        var beta = EffectiveExplorationBias;
        var best = -1;
        var bestScore = double.NegativeInfinity;
        double bestLogEi = double.NegativeInfinity, bestTarget = 0;
        var affordable = 0;
        var cheapestAffordable = -1;
        for (var j = 0; j < _candidatesInBasic.Count; j++)
        {
            if (_taken[j] || _costUpper[j] > costLimit)
            {
                continue;
            }
            affordable++;
            if (cheapestAffordable < 0 || _costMeans[j] < _costMeans[cheapestAffordable])
            {
                cheapestAffordable = j;
            }
            var target = Math.Max(_curveAtCandidate[j], floorTarget);
            var logEi = LogExpectedImprovement(_output.Means[j], Math.Sqrt(_output.Variances[j]), target, beta);
            var score = logEi + _logPrior[j] + Math.Log(_probabilityOfSuccess[j]);
            if (score > bestScore)
            {
                (best, bestScore, bestLogEi, bestTarget) = (j, score, logEi, target);
            }
        }
        if (affordable == 0)
        {
            _log($"No candidate's {_options.CostQuantile:P0} cost quantile fits under {costLimit:G4} (cost cap and budget left); no suggestion.");
            return null;
        }
        if (best < 0)
        {
            best = cheapestAffordable;
            bestTarget = Math.Max(_curveAtCandidate[best], floorTarget);
            bestLogEi = LogExpectedImprovement(_output.Means[best], Math.Sqrt(_output.Variances[best]), bestTarget, beta);
            bestScore = double.NegativeInfinity;
            _log("No affordable candidate has a positive acquisition (all below the target); suggesting the cheapest predicted affordable candidate.");
        }
        var mean = _output.Means[best];
        var stdDev = Math.Sqrt(_output.Variances[best]);
        var predictedCost = _costTransform.Inverse(_costMeans[best]);
        var withinLimit = double.IsPositiveInfinity(costLimit) ? 1.0
            : NormalDistribution.Cdf((_costTransform.Transform(costLimit) - _costMeans[best]) / _costStdDevs[best]);
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
            CostUpperQuantile = _costUpper[best],
            ExplorationBias = beta,
        };
        var fantasy = _options.OutstandingEstimator == OutstandingEstimator.Thompson ? mean + (stdDev * _rng.NextNormal()) : mean;
        _output.Condition(best, fantasy);
        _taken[best] = true;
        return new ProposedPoint(_candidatesInBasic[best], terms, _front[_originOf[best]].Key, predictedCost);
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
