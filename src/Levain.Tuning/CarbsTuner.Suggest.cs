using Levain.Tuning.Modeling;
using Levain.Tuning.Pareto;

namespace Levain.Tuning;

/// <summary>The three phases of docs/tuner.md A3 and the batch logic of B4.</summary>
public sealed partial class CarbsTuner
{
    private const int RandomPhaseMaxAttempts = 10_000;

    /// <summary>
    /// Returns <paramref name="count"/> suggestions, remembered as outstanding. Bayesian-phase points of one call come
    /// from one model fit, each chosen after conditioning on fantasies at the earlier ones, so the batch is diverse.
    /// Degenerate data never throws here; it is reported through <see cref="Logged"/>.
    /// </summary>
    public IReadOnlyList<Suggestion> Suggest(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var lines = new List<string>();
        var results = new List<Suggestion>(count);
        lock (_gate)
        {
            ExpireOutstanding(lines);
            BayesianProposer? proposer = null;
            var proposerFailed = false;
            for (var i = 0; i < count; i++)
            {
                var successes = _observations.Count(o => !o.IsFailure);
                Suggestion suggestion;
                if (successes < Options.NumRandomSamples || successes == 0)
                {
                    if (successes == 0 && _observations.Count > 0 && i == 0)
                    {
                        lines.Add($"No successful observation among {_observations.Count}; sampling around the search center.");
                    }
                    suggestion = RandomSuggestion(lines);
                }
                else if (TryResample(successes) is { } resample)
                {
                    suggestion = resample;
                }
                else
                {
                    if (proposer is null && !proposerFailed)
                    {
                        var outstanding = _outstanding.Select(s => Space.ToBasic(s.Parameters)).ToList();
                        proposer = BayesianProposer.TryCreate(Space, Options, _observations, outstanding, _hyperparameters, _rng, lines.Add);
                        proposerFailed = proposer is null;
                    }
                    if (proposer is null)
                    {
                        suggestion = RandomSuggestion(lines);
                    }
                    else
                    {
                        var (xInBasic, terms) = proposer.Next();
                        suggestion = NewSuggestion(Space.FromBasic(xInBasic), SuggestionPhase.Bayesian, terms);
                    }
                }
                results.Add(suggestion);
                _outstanding.Add(suggestion);
            }
        }
        Raise(lines);
        return results;
    }

    private Suggestion NewSuggestion(IReadOnlyDictionary<string, Spaces.ParamValue> parameters, SuggestionPhase phase, AcquisitionTerms? terms)
    {
        _suggestionCounter++;
        return new Suggestion($"s{_suggestionCounter}", parameters, phase, terms, _time.GetUtcNow());
    }

    private Suggestion RandomSuggestion(List<string> lines)
    {
        var xInBasic = BasicPerturbation.SampleWithinBounds(Space, Space.CenterInBasic, Options.SearchRadius, Options.CategoricalMutationProbability, _rng, RandomPhaseMaxAttempts);
        if (xInBasic is null)
        {
            lines.Add($"No random draw around the center fell inside the bounds in {RandomPhaseMaxAttempts} attempts; suggesting the center.");
            return NewSuggestion(Space.Center, SuggestionPhase.Random, null);
        }
        return NewSuggestion(Space.FromBasic(xInBasic), SuggestionPhase.Random, null);
    }

    /// <summary>
    /// docs/tuner.md A3 resampling: once successes exceed (resampleCount + 1) × frequency, suggest again the Pareto point
    /// with the fewest observations (outstanding ones, including this batch, count), cheapest first.
    /// </summary>
    private Suggestion? TryResample(int successes)
    {
        var frequency = Options.ResampleFrequency;
        if (frequency <= 0 || successes <= (_resampleCount + 1L) * frequency)
        {
            return null;
        }
        var front = ParetoGroups.Front(Space, [.. _observations.Where(o => !o.IsFailure)], Options.Direction, Options.MinParetoCostFraction);
        if (front.Count == 0)
        {
            return null;
        }
        _resampleCount++;
        var pending = _outstanding.Select(s => ObservationGroup.KeyOf(Space, s.Parameters)).ToList();
        var chosen = front
            .Select((g, index) => (Group: g, Index: index, Load: g.Count + pending.Count(k => k == g.Key)))
            .OrderBy(t => t.Load)
            .ThenBy(t => t.Group.Cost)
            .ThenBy(t => t.Index)
            .First().Group;
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
