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
    private readonly List<double[]> _candidatesInBasic;
    private readonly double[] _costMeans;
    private readonly double[] _curveAtCandidate;
    private readonly double[] _logPrior;
    private readonly double[] _probabilityOfSuccess;
    private readonly double[] _probabilityWithinCap;
    private readonly bool[] _taken;

    public static BayesianProposer? TryCreate(
        SearchSpace space,
        CarbsOptions options,
        IReadOnlyList<Observation> observations,
        IReadOnlyList<double[]> outstandingInBasic,
        Dictionary<string, double[]> hyperparameters,
        Xoshiro256StarStar rng,
        Action<string> log)
    {
        var successes = observations.Where(o => !o.IsFailure).ToList();
        var front = ParetoGroups.Front(space, successes, options.Direction, options.MinParetoCostFraction);
        if (front.Count == 0)
        {
            log("Bayesian phase needs at least one successful observation; falling back to centered random sampling.");
            return null;
        }
        var center = space.CenterInBasic;
        double[] ToModelInput(double[] xInBasic) => CenterContinuous(space, center, xInBasic);
        var models = SurrogateModels.TryFit(space, options, observations, successes, front, ToModelInput, hyperparameters, log);
        return models is null ? null : new BayesianProposer(space, options, models, outstandingInBasic, rng, log);
    }

    /// <summary>Candidates scored (for tests and diagnostics).</summary>
    public int CandidateCount => _candidatesInBasic.Count;

    /// <summary>Picks the next point of the batch and conditions the output model on a fantasy there.</summary>
    public (double[] XInBasic, AcquisitionTerms Terms) Next()
    {
        var floorTarget = RandomCostTarget();
        var beta = _options.ExplorationBias;
        var best = -1;
        var bestScore = double.NegativeInfinity;
        double bestLogEi = double.NegativeInfinity, bestTarget = 0;
        for (var j = 0; j < _candidatesInBasic.Count; j++)
        {
            if (_taken[j])
            {
                continue;
            }
            var target = Math.Max(_curveAtCandidate[j], floorTarget);
            var logEi = LogExpectedImprovement(_output.Means[j], Math.Sqrt(_output.Variances[j]), target, beta);
            var score = logEi + _logPrior[j] + Math.Log(_probabilityOfSuccess[j]) + Math.Log(_probabilityWithinCap[j]);
            if (score > bestScore)
            {
                (best, bestScore, bestLogEi, bestTarget) = (j, score, logEi, target);
            }
        }
        if (best < 0)
        {
            best = FallbackChoice();
            bestTarget = Math.Max(_curveAtCandidate[best], floorTarget);
            bestLogEi = LogExpectedImprovement(_output.Means[best], Math.Sqrt(_output.Variances[best]), bestTarget, beta);
            bestScore = double.NegativeInfinity;
        }
        var mean = _output.Means[best];
        var stdDev = Math.Sqrt(_output.Variances[best]);
        var terms = new AcquisitionTerms(
            mean,
            stdDev,
            bestTarget,
            _costTransform.Inverse(_costMeans[best]),
            Math.Exp(bestLogEi),
            Math.Exp(_logPrior[best]),
            _probabilityOfSuccess[best],
            _probabilityWithinCap[best],
            Math.Exp(bestScore));
        var fantasy = _options.OutstandingEstimator == OutstandingEstimator.Thompson ? mean + (stdDev * _rng.NextNormal()) : mean;
        _output.Condition(best, fantasy);
        _taken[best] = true;
        return (_candidatesInBasic[best], terms);
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

    /// <summary>π floor: the Pareto curve at a cost drawn log-uniformly between the cheapest and dearest Pareto point (capped).</summary>
    private double RandomCostTarget()
    {
        var low = _front[0].Cost;
        var high = _front[^1].Cost;
        if (_options.MaxSuggestionCost is { } cap)
        {
            high = Math.Min(high, cap);
        }
        double cost;
        if (low > 0 && high > low)
        {
            cost = Math.Exp(Math.Log(low) + (_rng.NextDouble() * (Math.Log(high) - Math.Log(low))));
        }
        else
        {
            cost = low;
            _rng.NextDouble();
        }
        var t = Math.Clamp(_costTransform.Transform(cost), _frontCostMin, _frontCostMax);
        return _curve.Predict([t]).Mean;
    }

    /// <summary>When every candidate scores −∞ (e.g. all predicted above the cost cap): the cheapest untaken candidate.</summary>
    private int FallbackChoice()
    {
        var best = -1;
        for (var j = 0; j < _costMeans.Length; j++)
        {
            if (!_taken[j] && (best < 0 || _costMeans[j] < _costMeans[best]))
            {
                best = j;
            }
        }
        if (best < 0)
        {
            Array.Clear(_taken);
            best = 0;
        }
        _log($"No candidate has a positive acquisition (all below the target or over the cost cap); suggesting the cheapest predicted candidate.");
        return best;
    }
}
