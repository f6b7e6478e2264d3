using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>Model fitting, fantasies for outstanding suggestions, candidate generation and the per-candidate terms.</summary>
internal sealed partial class BayesianProposer
{
    private BayesianProposer(SearchSpace space, CarbsOptions options, SurrogateModels models, IReadOnlyList<double[]> outstandingInBasic, Xoshiro256StarStar rng, Action<string> log)
    {
        _space = space;
        _options = options;
        _rng = rng;
        _log = log;
        _front = models.Front;
        _modelCenter = space.CenterInBasic;
        _costTransform = models.CostTransform;
        _curve = models.Curve;
        _frontCostMin = models.FrontCostMin;
        _frontCostMax = models.FrontCostMax;
        var outputModel = models.Output;
        var costModel = models.Cost;
        var successModel = models.Success;

        AddOutstandingFantasies(outputModel, outstandingInBasic);

        _candidatesInBasic = GenerateCandidates();
        var modelInputs = _candidatesInBasic.Select(ToModelInput).ToList();
        _output = outputModel.PredictBatch(modelInputs);
        var cap = options.MaxSuggestionCost;
        _probabilityWithinCap = new double[modelInputs.Count];
        if (cap is { } maxCost)
        {
            var costPosterior = costModel.PredictBatch(modelInputs);
            _costMeans = costPosterior.Means;
            var capTransformed = _costTransform.Transform(maxCost);
            for (var j = 0; j < _costMeans.Length; j++)
            {
                var sd = Math.Sqrt(costPosterior.Variances[j] + costModel.Kernel.NoiseVariance);
                _probabilityWithinCap[j] = NormalDistribution.Cdf((capTransformed - _costMeans[j]) / sd);
            }
        }
        else
        {
            _costMeans = costModel.PredictMeans(modelInputs);
            Array.Fill(_probabilityWithinCap, 1.0);
        }
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
    /// CandidatesPerDimension × D candidates: a uniformly chosen Pareto point plus Gaussian noise (radius), categories
    /// mutated with the configured probability, integers rounded, out-of-bounds points rejected (up to 100 draws per
    /// wanted candidate). Falls back to the Pareto points themselves if nothing lands inside the bounds.
    /// </summary>
    private List<double[]> GenerateCandidates()
    {
        var wanted = Math.Max(1, _options.CandidatesPerDimension * _space.BasicDimension);
        var candidates = new List<double[]>(wanted);
        var maxDraws = 100L * wanted;
        var buffer = new double[_space.BasicDimension];
        for (long draw = 0; draw < maxDraws && candidates.Count < wanted; draw++)
        {
            var origin = _front[_rng.NextInt(_front.Count)].XInBasic;
            BasicPerturbation.Perturb(_space, origin, _options.SearchRadius, _options.CategoricalMutationProbability, _rng, buffer);
            if (_space.IsWithinBounds(buffer))
            {
                candidates.Add((double[])buffer.Clone());
            }
        }
        if (candidates.Count < wanted)
        {
            _log($"Only {candidates.Count} of {wanted} candidates fell inside the bounds after {maxDraws} draws.");
        }
        if (candidates.Count == 0)
        {
            _log("No candidate fell inside the bounds; scoring the Pareto points themselves.");
            candidates.AddRange(_front.Select(g => (double[])g.XInBasic.Clone()));
        }
        return candidates;
    }

    /// <summary>ln of the normal density (σ = radius) of each candidate's distance to the nearest Pareto point.</summary>
    private double[] PriorLogWeights()
    {
        var radius = _options.SearchRadius;
        var continuous = _space.ContinuousDimension;
        var logWeights = new double[_candidatesInBasic.Count];
        var logNormaliser = Math.Log(radius) + (0.5 * Notation.LogTwoPi);
        for (var j = 0; j < logWeights.Length; j++)
        {
            var c = _candidatesInBasic[j];
            var nearest = double.PositiveInfinity;
            foreach (var g in _front)
            {
                var d2 = 0.0;
                for (var k = 0; k < c.Length; k++)
                {
                    var diff = k < continuous ? c[k] - g.XInBasic[k] : (c[k] == g.XInBasic[k] ? 0.0 : radius);
                    d2 += diff * diff;
                }
                nearest = Math.Min(nearest, d2);
            }
            logWeights[j] = (-0.5 * nearest / (radius * radius)) - logNormaliser;
        }
        return logWeights;
    }
}
