using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Studies;

/// <summary>
/// What a study optimises, stored with it so any worker or report can rebuild the tuner without the study file:
/// the search space, direction, the metric key, where cost comes from (a parameter name, "seconds", or a result
/// key) and the tuner options.
/// </summary>
public sealed record StudySpec
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Name { get; init; }

    public Direction Direction { get; init; } = Direction.Minimize;

    public string Metric { get; init; } = "loss";

    public string CostSource { get; init; } = "seconds";

    /// <summary>
    /// The metric's natural bound (study file <c>metric_bound</c>; null: none): the floor a minimised metric cannot fall
    /// below (0 for a loss or an NLL), the ceiling a maximised one cannot rise above (1 for an accuracy). The metric's
    /// saturating scaling law is held to it. Not part of the objective: it can be edited on resume.
    /// </summary>
    public double? MetricBound { get; init; }

    public required IReadOnlyList<ParameterSpec> Parameters { get; init; }

    public CarbsOptions Tuner { get; init; } = new();

    /// <summary>The tuner options with this study's direction applied.</summary>
    public CarbsOptions EffectiveTunerOptions => Tuner with { Direction = Direction };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static StudySpec FromJson(string json) =>
        JsonSerializer.Deserialize<StudySpec>(json, JsonOptions) ?? throw new JsonException("A study spec cannot be null.");

    /// <summary>
    /// True when trials of <paramref name="other"/> can join this study's observations: same parameters, direction,
    /// metric and cost. Tuner options, budgets and launchers may differ between runs.
    /// </summary>
    public bool HasSameObjective(StudySpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Direction == other.Direction
            && string.Equals(Metric, other.Metric, StringComparison.Ordinal)
            && string.Equals(CostSource, other.CostSource, StringComparison.Ordinal)
            && string.Equals(
                JsonSerializer.Serialize(Parameters, JsonOptions),
                JsonSerializer.Serialize(other.Parameters, JsonOptions),
                StringComparison.Ordinal);
    }
}
