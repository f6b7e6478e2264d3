using Levain.Tuning.GaussianProcesses;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Modeling;

/// <summary>
/// Answer refinement (<see cref="CarbsOptions.AnswerRefinementShare"/>): in the second half of a budget some picks take
/// small steps from the incumbent — the dear evaluated point that the dear observations' own model
/// (<see cref="DearOutputModel"/>) predicts best — scored by that model's expected improvement over the incumbent.
/// Without it the dear runs of the last half of a budget land ~0.2 (unit-box units) from the answer on mf-hartmann6:
/// candidates around every Pareto point, scored against the Pareto curve with an exploration bias, favour uncertain far
/// points over a sure small gain at the answer (docs/tuner.md, "Answer refinement").
/// </summary>
internal sealed partial class BayesianProposer
{
    /// <summary>Refinement candidates drawn per basic dimension, in addition to the ordinary ones.</summary>
    internal const int RefinementCandidatesPerDimension = 30;

    /// <summary>Index of the incumbent in <see cref="_origins"/>, or −1 when refinement is off (or there is no local model).</summary>
    private readonly int _refinementOrigin = -1;

    /// <summary>Index of the first refinement candidate: ordinary picks choose among the candidates before it.</summary>
    private readonly int _refinementStart = int.MaxValue;

    /// <summary>The dear model's GP (standardised outputs, larger is better), or null when refinement is not active.</summary>
    private GaussianProcess? _local;

    /// <summary>The local model's mean at the incumbent: the refinement EI target.</summary>
    private double _incumbentMean;

    /// <summary>Transformed log cost of the cheapest observation in the local model: refinement candidates predicted cheaper are not picked.</summary>
    private double _localCostFloor;

    /// <summary>The incumbent (for tests and diagnostics): its basic vector and key, or null when refinement is off.</summary>
    internal (double[] XInBasic, string Key)? RefinementIncumbent =>
        _refinementOrigin < 0 ? null : (_origins[_refinementOrigin].XInBasic, _origins[_refinementOrigin].Key);

    /// <summary>The refinement candidates in basic units (for tests and diagnostics).</summary>
    internal IEnumerable<double[]> RefinementCandidates() => _candidatesInBasic.Skip(Math.Min(_refinementStart, _candidatesInBasic.Count));

    /// <summary>
    /// The probability that a pick refines: the share × (f − start) / (1 − start) for the spent fraction f, with start
    /// <see cref="CarbsOptions.AnswerRefinementStart"/>; 0 before the start, so the share is reached at the end of the budget.
    /// </summary>
    internal static double RefinementProbability(double share, double start, double spentFraction) =>
        share * Math.Clamp((spentFraction - start) / (1.0 - start), 0.0, 1.0);

    /// <summary>The dear observations' model (<see cref="DearOutputModel"/>) once refinement picks can happen (<see cref="RefinementProbability"/> &gt; 0); else null, and nothing is drawn.</summary>
    private static DearOutputModel? DearForRefinement(SearchSpace space, CarbsOptions options, IEnumerable<Observation> successes, double spentFraction,
        Func<double[], double[]> toModelInput, ModelStore store) =>
        RefinementProbability(options.AnswerRefinementShare, options.AnswerRefinementStart, spentFraction) > 0 ? DearOutputModel.TryFit(space, options, successes, toModelInput, store, update: true) : null;

    /// <summary>The incumbent: the dear evaluated point with the largest mean of the dear model, that mean and the model; null without one.</summary>
    private (ObservationGroup Group, double Mean, GaussianProcess Model)? Incumbent(DearOutputModel? dear)
    {
        if (dear?.Best(ToModelInput) is not { } best)
        {
            return null;
        }
        _localCostFloor = _costTransform.Transform(dear.CheapestCost);
        return (best.Group, best.Mean, dear.Model);
    }

    /// <summary>
    /// Appends <see cref="RefinementCandidatesPerDimension"/> × D candidates drawn around the incumbent with
    /// <see cref="CarbsOptions.AnswerRefinementRadius"/> × the radius annealing (<see cref="BasicPerturbation.SampleWithinBounds"/>,
    /// up to 100 draws per candidate; drawing stops at the first candidate that finds no point inside). Unchanged when there is no incumbent.
    /// </summary>
    private (List<double[]> Candidates, int[] Origins) WithRefinementCandidates((List<double[]> Candidates, int[] Origins) ordinary)
    {
        if (_refinementOrigin < 0)
        {
            return ordinary;
        }
        var shrink = 1.0 - (Math.Clamp(_options.RadiusAnnealing, 0.0, 0.95) * _spentFraction);
        var radius = _options.AnswerRefinementRadius * shrink;
        var wanted = RefinementCandidatesPerDimension * _space.BasicDimension;
        var candidates = new List<double[]>(ordinary.Candidates);
        var origins = new List<int>(ordinary.Origins);
        var incumbent = _origins[_refinementOrigin].XInBasic;
        for (var added = 0; added < wanted; added++)
        {
            if (BasicPerturbation.SampleWithinBounds(_space, incumbent, radius, _options.CategoricalMutationProbability, _rng, maxAttempts: 100) is not { } x)
            {
                break;
            }
            candidates.Add(x);
            origins.Add(_refinementOrigin);
        }
        return (candidates, [.. origins]);
    }

    /// <summary>
    /// With probability <see cref="CarbsOptions.AnswerRefinementShare"/> × the spent fraction: the open refinement
    /// candidate with the largest ln EI over the incumbent's local mean (local model, β = 0) + ln P(success), among
    /// those predicted to cost at least the cheapest dear observation (inside the local model's data) and whose upper
    /// cost quantile fits the limit — the first anytime cap under which any ordinary candidate fits, as an ordinary
    /// pick would keep to, else <paramref name="costLimit"/>. The pick enters the local model as a fantasy at its mean
    /// (and the output model as any pick does). Null (an ordinary pick follows) when the draw says no, or no candidate
    /// fits or improves.
    /// </summary>
    private ProposedPoint? TryRefine(double costLimit, IReadOnlyList<double>? preferredCostLimits)
    {
        if (_local is not { } local || _refinementStart >= _candidatesInBasic.Count
            || !(_rng.NextDouble() < RefinementProbability(_options.AnswerRefinementShare, _options.AnswerRefinementStart, _spentFraction)))
        {
            return null;
        }
        double? chosenCap = null;
        foreach (var cap in (preferredCostLimits ?? []).Where(l => l < costLimit).Order())
        {
            if (Affordable(cap).Indices.Count > 0) // resolves the candidates' affordability under the cap
            {
                chosenCap = cap;
                break;
            }
        }
        var limit = chosenCap ?? costLimit;
        if (chosenCap is null)
        {
            ResolveAffordability(limit);
        }
        var open = Enumerable.Range(_refinementStart, _candidatesInBasic.Count - _refinementStart)
            .Where(j => !_taken[j] && _costMeans[j] >= _localCostFloor && CostUpper(j) <= limit).ToList();
        if (open.Count == 0)
        {
            return null;
        }
        var inputs = open.Select(j => ToModelInput(_candidatesInBasic[j])).ToList();
        var means = local.PredictMeans(inputs);
        var variances = local.PredictVariances(inputs);
        var best = -1;
        var bestScore = double.NegativeInfinity;
        var bestLogEi = double.NegativeInfinity;
        for (var q = 0; q < open.Count; q++)
        {
            var logEi = LogExpectedImprovement(means[q], Math.Sqrt(Math.Max(variances[q], 0.0)), _incumbentMean, 0.0);
            var score = logEi + Math.Log(_probabilityOfSuccess[open[q]]);
            if (score > bestScore)
            {
                (best, bestScore, bestLogEi) = (q, score, logEi);
            }
        }
        if (best < 0)
        {
            return null;
        }
        local.Append(inputs[best], means[best]);
        return Take(open[best], _incumbentMean, bestLogEi, bestScore, 0.0, costLimit, (means[best], Math.Sqrt(Math.Max(variances[best], 0.0))));
    }
}
