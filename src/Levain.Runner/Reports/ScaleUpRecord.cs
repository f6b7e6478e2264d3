using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Scaling;

namespace Levain.Runner.Reports;

/// <summary>
/// A trial launched by <c>levain study scale-up --launch</c> with the prediction it tests: the trial is a normal trial
/// of the study (phase <see cref="SuggestionPhase.ScaleUp"/>, suggestion id <c>scale-up-K</c>) whose first progress
/// record is <c>{"scale_up": {factor, base_cost, target_cost, predicted, lower, upper, method, at_settings, parameters}}</c>,
/// written before the program starts (<c>method</c>, the metric law's, and <c>at_settings</c>, the output model's
/// prediction at the settings, are missing from records written before they existed). <see cref="ActualOutput"/> and <see cref="ActualCost"/> are filled in once it succeeded.
/// </summary>
public sealed record ScaleUpRecord(
    int Trial,
    TrialState State,
    double Factor,
    double TargetCost,
    double Predicted,
    double Lower,
    double Upper,
    double? ActualOutput,
    double? ActualCost)
{
    public const string Key = "scale_up";
    public const string SuggestionIdPrefix = "scale-up-";

    /// <summary>Relative slack of <see cref="IsInsideInterval"/>: an exact law gives an interval a few ulps wide, which its own value must not miss.</summary>
    public const double IntervalSlack = 1e-9;

    /// <summary>Which law the stored prediction came from ("surrogate" or "front-line"); null in records written before it was stored.</summary>
    public string? Method { get; init; }

    /// <summary>The output model's prediction for one run at the launched settings, when the scale-up had one (null in records stored before it was).</summary>
    public SettingsPrediction? AtSettings { get; init; }

    /// <summary>
    /// Whether the actual metric fell inside the predicted interval, up to <see cref="IntervalSlack"/> of the values'
    /// size (null until the trial succeeded). A noise-free known law printed "+0.0 %, outside the interval" before.
    /// </summary>
    public bool? IsInsideInterval => Inside(Lower, Upper);

    /// <summary>Whether the actual metric fell inside the interval of <see cref="AtSettings"/>, with the same slack (null until it succeeded or without one).</summary>
    public bool? IsInsideSettingsInterval => AtSettings is { } s ? Inside(s.Lower, s.Upper) : null;

    private bool? Inside(double lower, double upper)
    {
        if (ActualOutput is not double y)
        {
            return null;
        }
        var slack = IntervalSlack * new[] { y, lower, upper }.Max(Math.Abs);
        return y >= lower - slack && y <= upper + slack;
    }

    /// <summary>The next free suggestion id for a scale-up trial of a study.</summary>
    public static string NextSuggestionId(IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var used = trials.Select(t => t.SuggestionId).Where(id => id.StartsWith(SuggestionIdPrefix, StringComparison.Ordinal))
            .Select(id => int.TryParse(id.AsSpan(SuggestionIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0)
            .DefaultIfEmpty(0).Max();
        return SuggestionIdPrefix + (used + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The first progress record stored with a launched trial.</summary>
    public static string ToProgressJson(ScaleUpPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var parameters = new JsonObject();
        foreach (var p in prediction.Parameters)
        {
            parameters[p.Name] = new JsonObject { ["value"] = p.Predicted, ["lower"] = p.Lower, ["upper"] = p.Upper, ["method"] = p.Method };
        }
        return new JsonObject
        {
            [Key] = new JsonObject
            {
                ["factor"] = prediction.Factor,
                ["base_cost"] = prediction.BaseCost,
                ["target_cost"] = prediction.TargetCost,
                ["predicted"] = prediction.Metric.Predicted,
                ["lower"] = prediction.Metric.Lower,
                ["upper"] = prediction.Metric.Upper,
                ["method"] = prediction.Metric.Method,
                ["at_settings"] = StudyReportJson.ToJson(prediction.AtSettings),
                ["parameters"] = parameters,
            },
        }.ToJsonString();
    }

    /// <summary>The scale-up trials of a study with their stored predictions (trials whose record is missing or unreadable are skipped).</summary>
    public static async Task<IReadOnlyList<ScaleUpRecord>> ReadAsync(IStudyStore store, string study, IReadOnlyList<TrialRecord> trials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trials);
        var records = new List<ScaleUpRecord>();
        foreach (var trial in trials.Where(t => t.Phase == SuggestionPhase.ScaleUp))
        {
            var progress = await store.GetProgressAsync(study, trial.Number, cancellationToken).ConfigureAwait(false);
            foreach (var line in progress)
            {
                if (Parse(trial, line.Json) is { } record)
                {
                    records.Add(record);
                    break;
                }
            }
        }
        return records;
    }

    internal static ScaleUpRecord? Parse(TrialRecord trial, string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject line || line[Key] is not JsonObject p) return null;
        static double? Number(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
        if (Number(p, "factor") is not double factor || Number(p, "target_cost") is not double target || Number(p, "predicted") is not double predicted
            || Number(p, "lower") is not double lower || Number(p, "upper") is not double upper)
        {
            return null;
        }
        var succeeded = trial.State == TrialState.Succeeded;
        var method = p["method"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : null;
        var atSettings = p["at_settings"] is JsonObject a && Number(a, "predicted") is double ap && Number(a, "lower") is double al && Number(a, "upper") is double au
            ? new SettingsPrediction(ap, al, au, Number(a, "std_dev") ?? double.NaN) : null;
        return new ScaleUpRecord(trial.Number, trial.State, factor, target, predicted, lower, upper, succeeded ? trial.Output : null, succeeded ? trial.Cost : null) { Method = method, AtSettings = atSettings };
    }
}
