using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Tuning.Randomness;
using Levain.Tuning.Serialization;
using Levain.Tuning.Spaces;

namespace Levain.Tuning;

/// <summary>JSON round trip of the whole tuner state (docs/tuner.md A2): a restored tuner makes the identical next suggestion.</summary>
public sealed partial class CarbsTuner
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => ToJson(includeObservations: true);

    /// <summary>
    /// The whole state; without observations when <paramref name="includeObservations"/> is false, for a caller that keeps
    /// them itself (a study's trials) and hands them back to <see cref="FromJson(string, IReadOnlyList{Observation}, TimeProvider, CarbsOptions, IReadOnlyList{ParameterSpec})"/>
    /// in the order they were observed. Its size then no longer grows with the observations.
    /// </summary>
    public string ToJson(bool includeObservations)
    {
        lock (_gate)
        {
            var state = new TunerState(
                TunerState.CurrentVersion,
                Options,
                Space.Parameters,
                includeObservations ? _observations : [],
                _outstanding,
                _suggestionCounter,
                _resampleCount,
                _rng.GetState(),
                _hyperparameters.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            {
                RandomPhaseCount = _randomPhaseCount,
                TrustRegions = new SortedDictionary<string, Modeling.TrustRegion>(_trustRegions, StringComparer.Ordinal),
                SuggestionOrigins = new SortedDictionary<string, string>(_suggestionOrigins, StringComparer.Ordinal),
                HyperparameterFitCounts = new SortedDictionary<string, int>(_hyperparameterFitCounts, StringComparer.Ordinal),
                ObservationCount = includeObservations ? null : _observations.Count,
            };
            return JsonSerializer.Serialize(state, JsonOptions);
        }
    }

    /// <summary>Restores a tuner from <see cref="ToJson()"/>; <see cref="ArgumentException"/> for malformed or foreign JSON.</summary>
    public static CarbsTuner FromJson(string json, TimeProvider? timeProvider = null) => FromJson(json, null, timeProvider);

    /// <summary>
    /// Restores a tuner from <see cref="ToJson(bool)"/>. <paramref name="observations"/>, when given, are the observations
    /// in the order the saved tuner observed them (required for a state saved without them, whose count must match);
    /// they are taken as they are, with no second trust-region update. <paramref name="options"/> and
    /// <paramref name="parameters"/>, when given, replace the saved ones: edited options, or a space whose bounds were
    /// widened (every observation and outstanding point must still be valid in it). <see cref="ArgumentException"/> for
    /// malformed or foreign JSON, a count mismatch, or a point outside the space.
    /// </summary>
    public static CarbsTuner FromJson(
        string json,
        IReadOnlyList<Observation>? observations,
        TimeProvider? timeProvider = null,
        CarbsOptions? options = null,
        IReadOnlyList<ParameterSpec>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        TunerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TunerState>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a tuner state: {e.Message}", nameof(json), e);
        }
        if (state is null || state.Options is null || state.Parameters is null || state.RandomState is null)
        {
            throw new ArgumentException("Not a tuner state: options, parameters or random state missing.", nameof(json));
        }
        if (state.Version != TunerState.CurrentVersion)
        {
            throw new ArgumentException($"Tuner state version {state.Version} is not supported (expected {TunerState.CurrentVersion}).", nameof(json));
        }
        if (state.ObservationCount is int expected && (observations is null || observations.Count != expected))
        {
            throw new ArgumentException(
                $"The tuner state was saved without its {expected} observation(s); {observations?.Count ?? 0} were given back.", nameof(observations));
        }
        var tuner = new CarbsTuner(new SearchSpace(parameters ?? state.Parameters), options ?? state.Options, timeProvider)
        {
            _rng = Xoshiro256StarStar.FromState(state.RandomState),
            _suggestionCounter = state.SuggestionCounter,
            _resampleCount = state.ResampleCount,
            _randomPhaseCount = state.RandomPhaseCount,
        };
        foreach (var (key, region) in state.TrustRegions ?? new Dictionary<string, Modeling.TrustRegion>())
        {
            tuner._trustRegions[key] = region;
        }
        foreach (var (id, origin) in state.SuggestionOrigins ?? new Dictionary<string, string>())
        {
            tuner._suggestionOrigins[id] = origin;
        }
        foreach (var o in observations ?? state.Observations ?? [])
        {
            tuner.Space.Validate(o.Parameters);
            var isFailure = o.IsFailure || !double.IsFinite(o.Output);
            tuner._observations.Add(o with { Parameters = Ordered(tuner.Space, o.Parameters), IsFailure = isFailure });
        }
        foreach (var s in state.Outstanding ?? [])
        {
            tuner.Space.Validate(s.Parameters);
            tuner._outstanding.Add(s with { Parameters = Ordered(tuner.Space, s.Parameters) });
        }
        foreach (var (name, theta) in state.Hyperparameters ?? new Dictionary<string, double[]>())
        {
            tuner._hyperparameters[name] = theta;
        }
        foreach (var (name, count) in state.HyperparameterFitCounts ?? new Dictionary<string, int>())
        {
            tuner._hyperparameterFitCounts[name] = count;
        }
        return tuner;
    }

    private static IReadOnlyDictionary<string, ParamValue> Ordered(SearchSpace space, IReadOnlyDictionary<string, ParamValue> parameters) =>
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, ParamValue>(space.Parameters.ToDictionary(p => p.Name, p => parameters[p.Name], StringComparer.Ordinal));
}
