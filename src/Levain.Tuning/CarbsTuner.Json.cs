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

    public string ToJson()
    {
        lock (_gate)
        {
            var state = new TunerState(
                TunerState.CurrentVersion,
                Options,
                Space.Parameters,
                _observations,
                _outstanding,
                _suggestionCounter,
                _resampleCount,
                _rng.GetState(),
                _hyperparameters.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            {
                RandomPhaseCount = _randomPhaseCount,
                TrustRegions = new SortedDictionary<string, Modeling.TrustRegion>(_trustRegions, StringComparer.Ordinal),
                SuggestionOrigins = new SortedDictionary<string, string>(_suggestionOrigins, StringComparer.Ordinal),
            };
            return JsonSerializer.Serialize(state, JsonOptions);
        }
    }

    /// <summary>Restores a tuner from <see cref="ToJson"/>; <see cref="ArgumentException"/> for malformed or foreign JSON.</summary>
    public static CarbsTuner FromJson(string json, TimeProvider? timeProvider = null)
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
        var tuner = new CarbsTuner(new SearchSpace(state.Parameters), state.Options, timeProvider)
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
        foreach (var o in state.Observations ?? [])
        {
            tuner.Space.Validate(o.Parameters);
            tuner._observations.Add(o with { Parameters = Ordered(tuner.Space, o.Parameters) });
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
        return tuner;
    }

    private static IReadOnlyDictionary<string, ParamValue> Ordered(SearchSpace space, IReadOnlyDictionary<string, ParamValue> parameters) =>
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, ParamValue>(space.Parameters.ToDictionary(p => p.Name, p => parameters[p.Name], StringComparer.Ordinal));
}
