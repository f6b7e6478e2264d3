using System.Collections.ObjectModel;
using Levain.Tuning.Modeling;
using Levain.Tuning.Pareto;
using Levain.Tuning.Randomness;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>
/// The cost-aware Pareto-region Bayesian tuner (docs/tuner.md): ask with <see cref="Suggest"/>, tell with
/// <see cref="Observe"/>. Seeded and deterministic (its own serialisable xoshiro256** stream); time comes only from
/// the injected <see cref="TimeProvider"/>. Thread-safe: calls are serialised by an internal lock.
/// </summary>
public sealed partial class CarbsTuner
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<Observation> _observations = [];
    private readonly List<Suggestion> _outstanding = [];
    private readonly Dictionary<string, double[]> _hyperparameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _hyperparameterFitCounts = new(StringComparer.Ordinal);
    private readonly ModelStore _models;
    private Xoshiro256StarStar _rng;
    private readonly Dictionary<string, TrustRegion> _trustRegions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _suggestionOrigins = new(StringComparer.Ordinal);
    private long _suggestionCounter;
    private int _resampleCount;
    private int _randomPhaseCount;

    public CarbsTuner(SearchSpace space, CarbsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        Space = space;
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        _rng = new Xoshiro256StarStar(options.Seed);
        _models = new ModelStore(_hyperparameters, _hyperparameterFitCounts, options.IncrementalModels);
    }

    public SearchSpace Space { get; }

    /// <summary>The surrogates' hyperparameters, refit counts and cached factors (tests and diagnostics).</summary>
    internal ModelStore Models => _models;

    public CarbsOptions Options { get; }

    /// <summary>The smallest initial design whatever the dimension (the published CARBS default).</summary>
    public const int MinRandomPhaseLength = 4;

    /// <summary>
    /// Successes of the random phase (the initial design's size): <see cref="CarbsOptions.NumRandomSamples"/> when set,
    /// else max(<see cref="MinRandomPhaseLength"/>, D + 1) for the space's D basic dimensions.
    /// </summary>
    public int RandomPhaseLength => Options.NumRandomSamples ?? Math.Max(MinRandomPhaseLength, Space.BasicDimension + 1);

    /// <summary>Clear log lines: degenerate data, fallbacks, expired suggestions, the pareto area after each observation.</summary>
    public event EventHandler<string>? Logged;

    /// <summary>All observations so far (non-finite outputs recorded as failures).</summary>
    public IReadOnlyList<Observation> Observations
    {
        get
        {
            lock (_gate)
            {
                return new ReadOnlyCollection<Observation>([.. _observations]);
            }
        }
    }

    /// <summary>Suggestions not yet observed, forgotten or expired.</summary>
    public IReadOnlyList<Suggestion> Outstanding
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                return new ReadOnlyCollection<Suggestion>([.. _outstanding.Where(s => !IsExpired(s, now))]);
            }
        }
    }

    /// <summary>
    /// Records a result. Throws <see cref="ArgumentException"/> for an invalid assignment or, for a success, a negative
    /// or non-finite cost. A non-finite output is stored as a failure. Clears the outstanding suggestion it answers.
    /// </summary>
    public void Observe(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        Space.Validate(observation.Parameters);
        var isFailure = observation.IsFailure || !double.IsFinite(observation.Output);
        if (!isFailure && (!double.IsFinite(observation.Cost) || observation.Cost < 0))
        {
            throw new ArgumentException($"The cost of a successful observation must be finite and non-negative, not {observation.Cost:R}.", nameof(observation));
        }
        var lines = new List<string>();
        lock (_gate)
        {
            var parameters = new ReadOnlyDictionary<string, ParamValue>(Space.Parameters.ToDictionary(p => p.Name, p => observation.Parameters[p.Name], StringComparer.Ordinal));
            _observations.Add(observation with { Parameters = parameters, IsFailure = isFailure });
            if (!observation.IsFailure && isFailure)
            {
                lines.Add($"Output {observation.Output} is not finite; recorded as a failure.");
            }
            if (observation.SuggestionId is { } id && _outstanding.RemoveAll(s => s.Id == id) == 0)
            {
                lines.Add($"Observation for suggestion '{id}', which is not outstanding (already observed, forgotten or expired).");
            }
            if (observation.SuggestionId is { } answered && _suggestionOrigins.Remove(answered, out var originKey))
            {
                UpdateTrustRegion(originKey, observation.Parameters, isFailure);
            }
            if (Logged is not null)
            {
                // Only computed when someone listens: replaying a long history stays linear.
                var front = ComputeFront();
                lines.Add($"Pareto area {front.Area:G6} over {front.Points.Count} Pareto point(s) after {_observations.Count} observation(s).");
            }
        }
        Raise(lines);
    }

    /// <summary>Drops an outstanding suggestion (e.g. its node died); false if it was not outstanding.</summary>
    public bool Forget(string suggestionId)
    {
        ArgumentNullException.ThrowIfNull(suggestionId);
        lock (_gate)
        {
            _suggestionOrigins.Remove(suggestionId);
            return _outstanding.RemoveAll(s => s.Id == suggestionId) > 0;
        }
    }

    public ParetoFront GetParetoFront()
    {
        lock (_gate)
        {
            return ComputeFront();
        }
    }

    /// <summary>
    /// Scaling laws along the Pareto front (docs/tuner.md C), extrapolated to <paramref name="targetCost"/> if given; the
    /// metric's saturating law is held to <paramref name="metricBound"/> (the metric's natural bound) when given.
    /// </summary>
    public ScalingLawReport FitScalingLaws(double? targetCost = null, double? metricBound = null) =>
        ScalingLawFitter.Fit(Space, GetParetoFront(), targetCost, Options.Direction, metricBound);

    /// <summary>Trust regions by Pareto-point key (read-only copy, for reports and tests).</summary>
    public IReadOnlyDictionary<string, TrustRegion> TrustRegions
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, TrustRegion>(_trustRegions, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A suggestion drawn around <paramref name="originKey"/> succeeded if its point is on the Pareto front now.</summary>
    private void UpdateTrustRegion(string originKey, IReadOnlyDictionary<string, ParamValue> parameters, bool isFailure)
    {
        var key = ObservationGroup.KeyOf(Space, parameters);
        var success = !isFailure && ParetoGroups.Front(Space, [.. _observations.Where(o => o.IsCompleteSuccess)], Options.Direction, Options.MinParetoCostFraction)
            .Any(g => string.Equals(g.Key, key, StringComparison.Ordinal));
        var region = _trustRegions.TryGetValue(originKey, out var existing) ? existing : TrustRegion.Initial(Options.SearchRadius);
        var updated = region.After(success, Options.SearchRadius);
        _trustRegions[originKey] = updated;
        if (success)
        {
            // The new Pareto point inherits the grown region: the search continues at the scale that worked.
            _trustRegions[key] = updated with { Successes = 0, Failures = 0 };
        }
    }

    private ParetoFront ComputeFront() =>
        new(ParetoGroups.Front(Space, [.. _observations.Where(o => o.IsCompleteSuccess)], Options.Direction, Options.MinParetoCostFraction).Select(g => g.ToPoint()));

    private bool IsExpired(Suggestion suggestion, DateTimeOffset now) =>
        Options.SuggestionTimeToLive is { } ttl && suggestion.CreatedAt + ttl < now;

    private void Raise(List<string> lines)
    {
        foreach (var line in lines)
        {
            Logged?.Invoke(this, line);
        }
    }

    private static void ValidateOptions(CarbsOptions o)
    {
        static void Require(bool ok, string name, string rule)
        {
            if (!ok)
            {
                throw new ArgumentException($"CarbsOptions.{name} {rule}.", "options");
            }
        }
        Require(o.NumRandomSamples is null or >= 0, nameof(o.NumRandomSamples), "must be at least 0 when set");
        Require(double.IsFinite(o.SearchRadius) && o.SearchRadius > 0, nameof(o.SearchRadius), "must be positive and finite");
        Require(double.IsFinite(o.ExplorationBias), nameof(o.ExplorationBias), "must be finite");
        Require(o.CandidatesPerDimension >= 1, nameof(o.CandidatesPerDimension), "must be at least 1");
        Require(o.ResampleFrequency >= 0, nameof(o.ResampleFrequency), "must be at least 0 (0 disables resampling)");
        Require(o.MaxSuggestionCost is null || (double.IsFinite(o.MaxSuggestionCost.Value) && o.MaxSuggestionCost > 0), nameof(o.MaxSuggestionCost), "must be positive and finite when set");
        Require(o.MinParetoCostFraction is >= 0 and <= 1, nameof(o.MinParetoCostFraction), "must lie in [0, 1]");
        Require(o.SuggestionTimeToLive is null || o.SuggestionTimeToLive > TimeSpan.Zero, nameof(o.SuggestionTimeToLive), "must be positive when set");
        Require(o.CategoricalMutationProbability is >= 0 and <= 1, nameof(o.CategoricalMutationProbability), "must lie in [0, 1]");
        Require(o.TargetProjectionShare is >= 0 and <= 1, nameof(o.TargetProjectionShare), "must lie in [0, 1]");
        Require(o.TargetProjectionStep is > 0 and <= 1, nameof(o.TargetProjectionStep), "must lie in (0, 1]");
        Require(o.AnswerRefinementShare is >= 0 and <= 1, nameof(o.AnswerRefinementShare), "must lie in [0, 1]");
        Require(double.IsFinite(o.AnswerRefinementRadius) && o.AnswerRefinementRadius > 0, nameof(o.AnswerRefinementRadius), "must be positive and finite");
        Require(o.CostQuantile is >= 0.5 and < 1, nameof(o.CostQuantile), "must lie in [0.5, 1)");
        Require(o.AnytimeCheckpointRatio is null || (double.IsFinite(o.AnytimeCheckpointRatio.Value) && o.AnytimeCheckpointRatio > 1), nameof(o.AnytimeCheckpointRatio), "must be finite and greater than 1 when set");
        Require(o.AnytimeCrossingFraction is >= 0 and <= 1, nameof(o.AnytimeCrossingFraction), "must lie in [0, 1]");
        Require(o.GlobalCandidateShare is >= 0 and < 1, nameof(o.GlobalCandidateShare), "must lie in [0, 1)");
        Require(o.GlobalCandidateAnnealing is >= 0 and <= 1, nameof(o.GlobalCandidateAnnealing), "must lie in [0, 1]");
        Require(o.AnswerRefinementStart is >= 0 and < 1, nameof(o.AnswerRefinementStart), "must lie in [0, 1)");
        Require(o.DearCostFraction is > 0 and <= 1, nameof(o.DearCostFraction), "must lie in (0, 1]");
        Require(Enum.IsDefined(o.Direction), nameof(o.Direction), "must be Minimize or Maximize");
        Require(Enum.IsDefined(o.OutstandingEstimator), nameof(o.OutstandingEstimator), "must be Thompson or Mean");
        Require(Enum.IsDefined(o.OutputTransform), nameof(o.OutputTransform), "must be Quantile, Standardize, Power or Auto");
    }
}
