using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>Model fitting, fantasies for outstanding suggestions, candidate generation and the per-candidate terms.</summary>
internal sealed partial class BayesianProposer
{
    private readonly Func<string, double> _radiusOf;
    private readonly List<double[]>? _anchors;
    private readonly List<double[]>? _modelInputs;
    private bool _costBoundsTightened;
    private (int Index, double Value)? _pendingFantasy;
    private readonly double _targetCost;

    private BayesianProposer(
        SearchSpace space,
        CarbsOptions options,
        SurrogateModels models,
        IReadOnlyList<double[]> outstandingInBasic,
        Xoshiro256StarStar rng,
        Action<string> log,
        Func<string, double> radiusOf,
        double spentFraction,
        double targetCost,
        DearOutputModel? dear)
    {
        _spentFraction = Math.Clamp(spentFraction, 0.0, 1.0);
        // Annealed like β: as the budget is spent every origin's radius shrinks by the factor 1 − RadiusAnnealing·f.
        var shrink = 1.0 - (Math.Clamp(options.RadiusAnnealing, 0.0, 0.95) * _spentFraction);
        _radiusOf = key => radiusOf(key) * shrink;
        _targetCost = targetCost;
        _space = space;
        _options = options;
        _rng = rng;
        _log = log;
        _front = models.Front;
        _origins = _front;
        _modelCenter = space.CenterInBasic;
        _costTransform = models.CostTransform;
        _curve = models.Curve;
        _frontCostMin = models.FrontCostMin;
        _frontCostMax = models.FrontCostMax;
        var outputModel = models.Output;
        var costModel = models.Cost;
        var successModel = models.Success;

        AddOutstandingFantasies(outputModel, outstandingInBasic);
        if (ProjectedTargetOrigin(costModel) is { } projected && ProjectionPromises(outputModel, projected))
        {
            _origins = [.. _front, projected];
            _projectedOrigin = _front.Count;
        }

        if (Incumbent(dear) is { } incumbent)
        {
            _refinementOrigin = _origins.Count;
            _origins = [.. _origins, incumbent.Group];
            (_incumbentMean, _local) = (incumbent.Mean, incumbent.Model);
        }

        var ordinary = GenerateCandidates();
        _refinementStart = _refinementOrigin < 0 ? int.MaxValue : ordinary.Candidates.Count;
        (_candidatesInBasic, _originOf) = WithRefinementCandidates(ordinary);
        var modelInputs = _candidatesInBasic.Select(ToModelInput).ToList();
        if (options.IncrementalModels)
        {
            // Exact variances on demand: output bounds from the variance given a subset of the data around each
            // origin; cost bounds start at the prior variance and are tightened only if a finite limit needs them.
            _anchors = [.. _origins.Select(g => ToModelInput(g.XInBasic))];
            _modelInputs = modelInputs;
            _output = new LazyCandidatePosterior(outputModel, modelInputs, outputModel.VarianceUpperBounds(modelInputs, _originOf, _anchors));
            _cost = new LazyCandidatePosterior(costModel, modelInputs, LazyCandidatePosterior.PriorVariances(costModel, modelInputs));
        }
        else
        {
            _output = new LazyCandidatePosterior(outputModel, modelInputs, bounds: null, blocked: false);
            _cost = new LazyCandidatePosterior(costModel, modelInputs, bounds: null, blocked: false);
        }
        _costModel = costModel;
        _costMeans = _cost.Means;
        _costQuantileZ = NormalDistribution.InverseCdf(options.CostQuantile);
        _probabilityOfSuccess = new double[modelInputs.Count];
        if (successModel is not null)
        {
            var successMeans = successModel.PredictMeans(modelInputs);
            for (var j = 0; j < successMeans.Length; j++)
            {
                _probabilityOfSuccess[j] = NormalDistribution.Cdf(SuccessSharpness * successMeans[j]);
            }
        }
        else
        {
            Array.Fill(_probabilityOfSuccess, 1.0);
        }
        var clampedCosts = _costMeans.Select(c => new[] { Math.Clamp(c, _frontCostMin, _frontCostMax) }).ToList();
        _curveAtCandidate = _curve.PredictMeans(clampedCosts);
        _logPrior = PriorLogWeights();
        _taken = new bool[modelInputs.Count];
    }

    /// <summary>Continuous coordinates centred on the search center (so the linear kernel is relative to it); categorical indices kept.</summary>
    internal static double[] CenterContinuous(SearchSpace space, double[] centerInBasic, double[] xInBasic)
    {
        var x = (double[])xInBasic.Clone();
        for (var j = 0; j < space.ContinuousDimension; j++)
        {
            x[j] -= centerInBasic[j];
        }
        return x;
    }

    private double[] ToModelInput(double[] xInBasic) => CenterContinuous(_space, _modelCenter, xInBasic);

    /// <summary>Outstanding suggestions enter the output model as sequential fantasies (Thompson draws or posterior means).</summary>
    private void AddOutstandingFantasies(GaussianProcess outputModel, IReadOnlyList<double[]> outstandingInBasic)
    {
        foreach (var xInBasic in outstandingInBasic)
        {
            var x = ToModelInput(xInBasic);
            var (mean, variance) = outputModel.Predict(x);
            var value = _options.OutstandingEstimator == OutstandingEstimator.Thompson ? mean + (Math.Sqrt(variance) * _rng.NextNormal()) : mean;
            outputModel.Append(x, value);
        }
    }

    /// <summary>
    /// CandidatesPerDimension × D candidates: a Pareto point chosen as origin plus Gaussian noise of that origin's
    /// trust-region radius, categories mutated with the configured probability, integers rounded, out-of-bounds points
    /// rejected (up to 100 draws per wanted candidate). Origins are uniform early; as the budget is spent (fraction f)
    /// a share f of the draws picks origins by closeness in ln cost to the target cost (the dearest affordable Pareto
    /// point), so late effort goes where the answer is. Falls back to the Pareto points themselves if nothing lands
    /// inside the bounds. With <see cref="CarbsOptions.GlobalCandidateShare"/> that share of the pool is drawn from the
    /// whole box after the local ones (<see cref="AddGlobalCandidates"/>). Returns the candidates and the index of each
    /// one's origin.
    /// </summary>
    private (List<double[]> Candidates, int[] Origins) GenerateCandidates()
    {
        var total = Math.Max(1, _options.CandidatesPerDimension * _space.BasicDimension);
        var globalWanted = (int)Math.Round(GlobalShare * total);
        var wanted = total - globalWanted;
        var candidates = new List<double[]>(total);
        var origins = new List<int>(wanted);
        var maxDraws = 100L * wanted;
        var buffer = new double[_space.BasicDimension];
        var radii = _origins.Select(g => _radiusOf(g.Key)).ToArray();
        var targetWeights = TargetOriginWeights();
        var targetShare = Math.Pow(_spentFraction, Math.Max(_options.TargetOriginPower, 1e-9));
        for (long draw = 0; draw < maxDraws && candidates.Count < wanted; draw++)
        {
            var origin = _rng.NextDouble() < targetShare ? PickTargetOrigin(targetWeights) : _rng.NextInt(_front.Count);
            BasicPerturbation.Perturb(_space, _origins[origin].XInBasic, radii[origin], _options.CategoricalMutationProbability, _rng, buffer);
            if (_space.IsWithinBounds(buffer))
            {
                candidates.Add((double[])buffer.Clone());
                origins.Add(origin);
            }
        }
        if (candidates.Count < wanted)
        {
            _log($"Only {candidates.Count} of {wanted} candidates fell inside the bounds after {maxDraws} draws.");
        }
        _localCount = candidates.Count;
        AddGlobalCandidates(globalWanted, candidates, origins);
        if (candidates.Count == 0)
        {
            _log("No candidate fell inside the bounds; scoring the Pareto points themselves.");
            candidates.AddRange(_front.Select(g => (double[])g.XInBasic.Clone()));
            origins.AddRange(Enumerable.Range(0, _front.Count));
            _localCount = candidates.Count;
        }
        return (candidates, [.. origins]);
    }

    /// <summary>
    /// Cumulative weights ∝ exp(−½(Δ ln cost / w)²) of Pareto points around the target cost; w is
    /// <see cref="CarbsOptions.TargetOriginWidth"/> × the front's ln-cost span (0.5 when that option is 0).
    /// </summary>
    private double[] TargetOriginWeights()
    {
        var target = Math.Min(_targetCost, _front[^1].Cost);
        var affordable = _front.Where(g => g.Cost <= target).ToList();
        var logTarget = Math.Log(Math.Max(affordable.Count > 0 ? affordable[^1].Cost : _front[0].Cost, 1e-300));
        var width = 0.5;
        if (_options.TargetOriginWidth > 0)
        {
            var span = Math.Log(Math.Max(_front[^1].Cost, 1e-300)) - Math.Log(Math.Max(_front[0].Cost, 1e-300));
            width = span > 0 ? _options.TargetOriginWidth * span : 0.5;
        }
        var cumulative = new double[_front.Count];
        var sum = 0.0;
        for (var i = 0; i < _front.Count; i++)
        {
            var d = (Math.Log(Math.Max(_front[i].Cost, 1e-300)) - logTarget) / width;
            sum += Math.Exp(-0.5 * d * d);
            cumulative[i] = sum;
        }
        for (var i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static int Pick(double[] cumulative, double u)
    {
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (u < cumulative[i])
            {
                return i;
            }
        }
        return cumulative.Length - 1;
    }

    /// <summary>
    /// ln of the normal density of each candidate's distance to the nearest Pareto point, σ = its origin's radius. With
    /// global candidates (a share g of the pool) it is multiplied by the ratio of the mixture proposal to the local one,
    /// (1 − g) + g·U/N(x), N the D-dimensional normal density around the nearest Pareto point and U the uniform density
    /// over the global box: near a Pareto point nothing changes, far from every one the penalty stops at the uniform floor.
    /// </summary>
    private double[] PriorLogWeights()
    {
        var logWeights = LocalPriorLogWeights(out var nearestSquared);
        var share = OrdinaryCount > 0 ? (double)(OrdinaryCount - _localCount) / OrdinaryCount : 0.0;
        if (!(share > 0))
        {
            return logWeights;
        }
        var logLocalShare = Math.Log(1.0 - share);
        var logGlobalShare = Math.Log(share);
        var dimension = _space.BasicDimension;
        for (var j = 0; j < OrdinaryCount; j++) // the refinement candidates are scored without the prior
        {
            var radius = _radiusOf(_origins[_originOf[j]].Key);
            var logNormal = (-0.5 * nearestSquared[j] / (radius * radius)) - (dimension * (Math.Log(radius) + (0.5 * Notation.LogTwoPi)));
            logWeights[j] += LogAddExp(logLocalShare, logGlobalShare + _globalLogDensity - logNormal);
        }
        return logWeights;
    }

    private static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }
        var high = Math.Max(a, b);
        return high + Math.Log(Math.Exp(a - high) + Math.Exp(b - high));
    }

    /// <summary>The prior of the local proposal alone, and each candidate's squared distance to the nearest Pareto point.</summary>
    private double[] LocalPriorLogWeights(out double[] nearestSquared)
    {
        var continuous = _space.ContinuousDimension;
        var logWeights = new double[_candidatesInBasic.Count];
        nearestSquared = new double[logWeights.Length];
        for (var j = 0; j < logWeights.Length; j++)
        {
            var radius = _radiusOf(_origins[_originOf[j]].Key);
            var c = _candidatesInBasic[j];
            var nearest = double.PositiveInfinity;
            foreach (var g in _origins.Where((_, i) => i != _refinementOrigin))
            {
                var d2 = 0.0;
                for (var k = 0; k < c.Length; k++)
                {
                    var diff = k < continuous ? c[k] - g.XInBasic[k] : (c[k] == g.XInBasic[k] ? 0.0 : radius);
                    d2 += diff * diff;
                }
                nearest = Math.Min(nearest, d2);
            }
            nearestSquared[j] = nearest;
            logWeights[j] = (-0.5 * nearest / (radius * radius)) - Math.Log(radius) - (0.5 * Notation.LogTwoPi);
        }
        return logWeights;
    }
}
