using Levain.Bench.Tuner.Problems;
using Levain.Tuning;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>Levain's <see cref="CarbsTuner"/> on the problem's search space, minimising, seeded per run.</summary>
public sealed class LevainCarbsMethod : ISearchMethod
{
    private readonly CarbsOptions _options;

    /// <param name="options">Settings for every run; direction and seed are set per run (default: the spec's defaults).</param>
    /// <param name="reportPrediction">
    /// The answer is the evaluated point with the best model-predicted output (<see cref="CarbsTuner.EstimateBest"/>),
    /// as docs/tuner.md tells users to quote it; false: the best observed point.
    /// </param>
    public LevainCarbsMethod(CarbsOptions? options = null, string name = "levain", bool budgetAware = true, bool reportPrediction = true)
    {
        _options = options ?? new CarbsOptions();
        Name = name;
        _budgetAware = budgetAware;
        _reportPrediction = reportPrediction;
    }

    private readonly bool _reportPrediction;

    private readonly bool _budgetAware;

    public string Name { get; }

    public string Description =>
        $"Levain CarbsTuner (search radius {_options.SearchRadius}, exploration bias {_options.ExplorationBias}, " +
        $"{(_options.NumRandomSamples is { } samples ? samples.ToString(System.Globalization.CultureInfo.InvariantCulture) : "max(4, D + 1)")} random samples{(_options.SpaceFillingInitialDesign ? " (Latin hypercube)" : "")}, " +
        $"resample every {_options.ResampleFrequency}{(_options.ResampleOnlyWhenUncertain ? " when the Pareto order is uncertain" : "")}, " +
        $"{(_options.TrustRegions ? "trust regions, " : "")}{GlobalCandidates}{(_budgetAware ? "budget-aware with annealing" : "no budget")}{(_budgetAware && _options.AnytimeCheckpointRatio is { } eta ? $", anytime checkpoints every {eta}x of the budget" : "")}" +
        $"{(_budgetAware && _options.AnswerRefinementShare > 0 ? $", answer refinement from {_options.AnswerRefinementStart:P0} of the budget (share {_options.AnswerRefinementShare}, dear runs ≥ {_options.DearCostFraction:P0} of the dearest)" : "")}, {_options.OutstandingEstimator} fantasies, {_options.OutputTransform.ToString().ToLowerInvariant()} output transform, " +
        $"answer: {(_reportPrediction ? "the evaluated point with the best predicted output" : "the best observed point")})";

    private string GlobalCandidates => _options.GlobalCandidateShare > 0
        ? FormattableString.Invariant($"{_options.GlobalCandidateShare:P0} global candidates{(_options.GlobalCandidateAnnealing > 0 ? $" (annealed {_options.GlobalCandidateAnnealing})" : "")}, ")
        : "";

    public ISearchSession Start(ICostAwareProblem problem, int seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var space = new SearchSpace(problem.Parameters);
        var tuner = new CarbsTuner(space, _options with { Direction = Direction.Minimize, Seed = seed });
        return new Session(tuner, _budgetAware, _reportPrediction);
    }

    private sealed class Session(CarbsTuner tuner, bool budgetAware, bool reportPrediction) : ISearchSession
    {
        private Suggestion? _pending;

        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction)
        {
            if (_pending is not null)
            {
                throw new InvalidOperationException("Tell the previous suggestion before asking again.");
            }
            var suggestions = budgetAware ? tuner.Suggest(1, new SuggestionBudget(budgetLeft, spentFraction)) : tuner.Suggest(1);
            if (suggestions.Count == 0)
            {
                return null;
            }
            _pending = suggestions[0];
            return _pending.Parameters;
        }

        public void Tell(ProblemEvaluation evaluation)
        {
            var pending = _pending ?? throw new InvalidOperationException("Nothing was asked.");
            _pending = null;
            // A stopped run that amounts to a complete shorter run is observed as that run (docs/tuner.md, "Early
            // stopping"). Without one, it is a partial observation of the parameters asked for: at the rule's projection
            // of its end and its planned cost when the rule made one (StoppedRunObservation), else where it was cut.
            // Either way the budget is charged the cost spent (SearchRun). StudyTuner.ToObservation does the same for
            // levain tune.
            tuner.Observe(evaluation.ShortenedRun is { } shortened
                ? new Observation(shortened, evaluation.ObservedValue, evaluation.Cost, SuggestionId: pending.Id)
                : evaluation is { IsPartial: true, ProjectedFinal: double projected, PlannedCost: double planned }
                    ? StoppedRunObservation.Create(pending.Parameters, projected, planned, pending.Id)
                    : new Observation(pending.Parameters, evaluation.ObservedValue, evaluation.Cost, SuggestionId: pending.Id, IsPartial: evaluation.IsPartial));
        }

        /// <summary>The evaluated point whose predicted noise-free output is lowest (null: best observed, e.g. before two successes).</summary>
        public IReadOnlyDictionary<string, ParamValue>? Answer() => reportPrediction ? tuner.EstimateBest()?.Parameters : null;

        public void Dispose()
        {
        }
    }
}
