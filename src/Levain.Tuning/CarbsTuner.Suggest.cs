using Levain.Tuning.Modeling;
using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>The three phases of docs/tuner.md A3 and the batch logic of B4.</summary>
public sealed partial class CarbsTuner
{
    private const int RandomPhaseMaxAttempts = 10_000;

    /// <summary>Random-phase draws tried against a cost limit before drawing around the cheapest success instead.</summary>
    private const int RandomPhaseCostDraws = 32;

    /// <summary>
    /// Returns <paramref name="count"/> suggestions, remembered as outstanding. Bayesian-phase points of one call come
    /// from one model fit, each chosen after conditioning on fantasies at the earlier ones, so the batch is diverse.
    /// Degenerate data never throws here; it is reported through <see cref="Logged"/>.
    /// </summary>
    public IReadOnlyList<Suggestion> Suggest(int count = 1) => Suggest(count, SuggestionBudget.None);

    /// <summary>
    /// Like <see cref="Suggest(int)"/>, within a budget: no suggestion is made whose <see cref="CarbsOptions.CostQuantile"/>
    /// upper cost quantile exceeds min(<see cref="CarbsOptions.MaxSuggestionCost"/>, budget left − predicted cost of the
    /// outstanding suggestions). May return fewer than <paramref name="count"/> (none when nothing affordable is left;
    /// the reason is logged). Exploration anneals with <see cref="SuggestionBudget.SpentFraction"/>.
    /// </summary>
    public IReadOnlyList<Suggestion> Suggest(int count, SuggestionBudget budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(budget);
        if (budget.CostLeft is { } left && double.IsNaN(left))
        {
            throw new ArgumentException("The cost left must be a number.", nameof(budget));
        }
        var lines = new List<string>();
        var results = new List<Suggestion>(count);
        lock (_gate)
        {
            ExpireOutstanding(lines);
            var limits = new CostLimits(Options.MaxSuggestionCost, budget.CostLeft);
            var anytimeCaps = AnytimeCaps(budget);
            BayesianProposer? proposer = null;
            var proposerFailed = false;
            for (var i = 0; i < count; i++)
            {
                var successes = _observations.Count(o => !o.IsFailure);
                Suggestion? suggestion;
                if (successes < RandomPhaseLength || successes == 0)
                {
                    if (successes == 0 && _observations.Count > 0 && i == 0)
                    {
                        lines.Add($"No successful observation among {_observations.Count}; sampling around the search center.");
                    }
                    suggestion = RandomPhaseSuggestion(limits, lines);
                }
                else if (TryResample(successes, limits, lines) is { } resample)
                {
                    suggestion = resample;
                }
                else
                {
                    if (proposer is null && !proposerFailed)
                    {
                        var outstanding = _outstanding.Select(s => Space.ToBasic(s.Parameters)).ToList();
                        proposer = BayesianProposer.TryCreate(Space, Options, _observations, outstanding, _models, _rng, lines.Add,
                            RadiusOf, budget.Fraction, limits.Limit);
                        proposerFailed = proposer is null;
                        if (proposer is not null)
                        {
                            limits.CommitOutstanding(() => _outstanding.Sum(s => proposer.PredictedCost(Space.ToBasic(s.Parameters))));
                        }
                    }
                    if (proposer is null)
                    {
                        suggestion = RandomPhaseSuggestion(limits, lines);
                    }
                    else if (proposer.Next(limits.Limit, anytimeCaps) is { } proposed)
                    {
                        suggestion = NewSuggestion(Space.FromBasic(proposed.XInBasic), SuggestionPhase.Bayesian, proposed.Terms);
                        limits.Commit(proposed.PredictedCost);
                        if (Options.TrustRegions && proposed.OriginKey is { } originKey)
                        {
                            _suggestionOrigins[suggestion.Id] = originKey;
                        }
                    }
                    else
                    {
                        suggestion = null;
                    }
                }
                if (suggestion is null)
                {
                    break;
                }
                results.Add(suggestion);
                _outstanding.Add(suggestion);
            }
        }
        Raise(lines);
        return results;
    }

    /// <summary>
    /// The preferred cost limits of <see cref="CarbsOptions.AnytimeCheckpointRatio"/> η, ascending (empty when it is off or
    /// the study has no cost budget or spent fraction): the budget up to the next checkpoint fraction φ = η^−k above the
    /// spent fraction f and up to the one after it, each max(φ − f, <see cref="CarbsOptions.AnytimeCrossingFraction"/> × φ)
    /// / (1 − f) × the cost left (the cost left is the fraction 1 − f of the budget).
    /// </summary>
    private List<double> AnytimeCaps(SuggestionBudget budget)
    {
        var caps = new List<double>();
        if (budget.CostLeft is not { } left || !(left > 0))
        {
            return caps;
        }
        if (Options.AnytimeCheckpointRatio is { } eta && budget.SpentFraction is { } f && double.IsFinite(f) && f is >= 0 and < 1)
        {
            var crossing = Options.AnytimeCrossingFraction;
            double CapAt(double checkpoint) => Math.Max(checkpoint - f, crossing * checkpoint) / (1.0 - f) * left;
            var checkpoint = AnytimeCheckpoint(f, eta);
            caps.Add(CapAt(checkpoint));
            var after = Math.Min(checkpoint * eta, 1.0);
            if (after > checkpoint)
            {
                caps.Add(CapAt(after));
            }
        }
        caps.Sort();
        return caps;
    }

    /// <summary>The smallest checkpoint fraction η^−k (k ≥ 0) above the spent fraction <paramref name="f"/> ∈ [0, 1).</summary>
    internal static double AnytimeCheckpoint(double f, double eta)
    {
        var checkpoint = 1.0;
        while (checkpoint / eta > f && checkpoint / eta > 1e-12)
        {
            checkpoint /= eta;
        }
        return checkpoint;
    }

    /// <summary>The trust-region radius around a Pareto point (the search radius when regions are off or new).</summary>
    private double RadiusOf(string groupKey) =>
        Options.TrustRegions && _trustRegions.TryGetValue(groupKey, out var region) ? region.Radius : Options.SearchRadius;

    private Suggestion NewSuggestion(IReadOnlyDictionary<string, Spaces.ParamValue> parameters, SuggestionPhase phase, AcquisitionTerms? terms)
    {
        _suggestionCounter++;
        return new Suggestion($"s{_suggestionCounter}", parameters, phase, terms, _time.GetUtcNow());
    }

    /// <summary>
    /// A random-phase point: the next point of the space-filling initial design while it lasts, else a draw around the
    /// center. With a finite cost limit and at least two successes, a point whose upper cost quantile (cost model fitted
    /// on the successes) exceeds the limit is replaced by another draw; null if none of 64 draws fits.
    /// </summary>
    private Suggestion? RandomPhaseSuggestion(CostLimits limits, List<string> lines)
    {
        var limit = limits.Limit;
        CostPredictor? predictor = null;
        if (double.IsFinite(limit))
        {
            predictor = CostPredictor.TryFit(Space, Options, [.. _observations.Where(o => o.IsCompleteSuccess)], _models);
            if (predictor is not null)
            {
                limits.CommitOutstanding(() => _outstanding.Sum(s => predictor.Mean(Space.ToBasic(s.Parameters))));
                limit = limits.Limit;
            }
        }
        for (var attempt = 0; attempt < 2 * RandomPhaseCostDraws; attempt++)
        {
            // Half the draws follow the design (or the center); if none fits, the rest go around the cheapest success.
            var xInBasic = attempt < RandomPhaseCostDraws || predictor is null ? NextRandomPhasePoint() : DrawAroundCheapest();
            var x = xInBasic ?? Space.CenterInBasic;
            if (predictor is not null && predictor.UpperQuantile(x) > limit)
            {
                continue;
            }
            if (xInBasic is null)
            {
                lines.Add($"No random draw around the center fell inside the bounds in {RandomPhaseMaxAttempts} attempts; suggesting the center.");
            }
            if (predictor is not null)
            {
                limits.Commit(predictor.Mean(x));
            }
            return NewSuggestion(xInBasic is null ? Space.Center : Space.FromBasic(xInBasic), SuggestionPhase.Random, null);
        }
        lines.Add($"No random-phase point's {Options.CostQuantile:P0} cost quantile fits under {limit:G4} (cost cap and budget left); no suggestion.");
        return null;
    }

    private double[]? DrawAroundCheapest()
    {
        var cheapest = _observations.Where(o => o.IsCompleteSuccess).MinBy(o => o.Cost);
        var origin = cheapest is null ? Space.CenterInBasic : Space.ToBasic(cheapest.Parameters);
        return BasicPerturbation.SampleWithinBounds(Space, origin, Options.SearchRadius, Options.CategoricalMutationProbability, _rng, RandomPhaseMaxAttempts);
    }

    /// <summary>The next initial-design point (counted by <see cref="_randomPhaseCount"/>), then centered random draws.</summary>
    private double[]? NextRandomPhasePoint()
    {
        var index = _randomPhaseCount++;
        if (Options.SpaceFillingInitialDesign && InitialDesign.Point(Space, Options, RandomPhaseLength, index) is { } designed)
        {
            return designed;
        }
        return BasicPerturbation.SampleWithinBounds(Space, Space.CenterInBasic, Options.SearchRadius, Options.CategoricalMutationProbability, _rng, RandomPhaseMaxAttempts);
    }

    /// <summary>
    /// docs/tuner.md A3 resampling, made conditional: once successes exceed (resampleCount + 1) × frequency (the counter
    /// advances whether or not a point is resampled), suggest again the Pareto point with the fewest observations
    /// (outstanding ones, including this batch, count), cheapest first — but with
    /// <see cref="CarbsOptions.ResampleOnlyWhenUncertain"/> only among Pareto points whose order against a neighbour on
    /// the front is uncertain: |ȳ_i − ȳ_{i−1}| &lt; 2·σ̂·√(1/n_i + 1/n_{i−1}) (<see cref="NoiseEstimate"/>). Identical
    /// outputs at replicated points give σ̂ = 0: no resampling. A resample must fit under the cost limit (its observed
    /// mean cost).
    /// </summary>
    private Suggestion? TryResample(int successes, CostLimits limits, List<string> lines)
    {
        var frequency = Options.ResampleFrequency;
        if (frequency <= 0 || successes <= (_resampleCount + 1L) * frequency)
        {
            return null;
        }
        var successful = _observations.Where(o => o.IsCompleteSuccess).ToList();
        var front = ParetoGroups.Front(Space, successful, Options.Direction, Options.MinParetoCostFraction);
        if (front.Count == 0)
        {
            return null;
        }
        _resampleCount++;
        var eligible = front;
        if (Options.ResampleOnlyWhenUncertain)
        {
            var noise = NoiseEstimate.Of(Space, successful, _hyperparameters);
            if (noise.StdDev is not { } sigma || sigma <= 0)
            {
                lines.Add(noise.StdDev is null
                    ? "Resampling skipped: no estimate of the output noise yet."
                    : $"Resampling skipped: {noise.ReplicatedGroups} replicated point(s) returned identical outputs (noise-free).");
                return null;
            }
            var uncertain = new HashSet<int>();
            for (var i = 1; i < front.Count; i++)
            {
                var gap = Math.Abs(front[i].Output - front[i - 1].Output);
                if (gap < 2.0 * sigma * Math.Sqrt((1.0 / front[i].Count) + (1.0 / front[i - 1].Count)))
                {
                    uncertain.Add(i - 1);
                    uncertain.Add(i);
                }
            }
            if (front.Count == 1 && front[0].Count == 1)
            {
                uncertain.Add(0);
            }
            if (uncertain.Count == 0)
            {
                lines.Add($"Resampling skipped: the Pareto order is clear at the estimated noise σ = {sigma:G3} ({noise.Source}).");
                return null;
            }
            eligible = [.. uncertain.Order().Select(i => front[i])];
        }
        var pending = _outstanding.Select(s => ObservationGroup.KeyOf(Space, s.Parameters)).ToList();
        var limit = limits.Limit;
        var chosen = eligible
            .Where(g => g.Cost <= limit)
            .Select((g, index) => (Group: g, Index: index, Load: g.Count + pending.Count(k => k == g.Key)))
            .OrderBy(t => t.Load)
            .ThenBy(t => t.Group.Cost)
            .ThenBy(t => t.Index)
            .Select(t => t.Group)
            .FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }
        limits.Commit(chosen.Cost);
        return NewSuggestion(chosen.Parameters, SuggestionPhase.Resample, null);
    }

    private void ExpireOutstanding(List<string> lines)
    {
        var now = _time.GetUtcNow();
        var expired = _outstanding.Where(s => IsExpired(s, now)).ToList();
        foreach (var s in expired)
        {
            _outstanding.Remove(s);
            lines.Add($"Suggestion '{s.Id}' expired (outstanding since {s.CreatedAt:O}, time-to-live {Options.SuggestionTimeToLive}); dropped from the model.");
        }
    }
}
