using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Levain.Studies.Trials;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Reports;

/// <summary>
/// The JSON form of a <see cref="StudyReport"/> (snake_case keys): what <c>levain study show --json</c> prints and
/// what the dashboard draws its tables and charts from, so both always agree.
/// </summary>
public static class StudyReportJson
{
    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonObject ToJson(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var spec = report.Study.Spec;
        return new JsonObject
        {
            ["study"] = report.Study.Name,
            ["direction"] = spec.Direction.ToString().ToLowerInvariant(),
            ["metric"] = spec.Metric,
            ["metric_bound"] = spec.MetricBound,
            ["cost"] = spec.CostSource,
            ["parameter_names"] = new JsonArray(spec.Parameters.Select(p => (JsonNode)p.Name).ToArray()),
            ["log_parameters"] = new JsonArray(spec.Parameters.Where(p => p.Kind == ParameterKind.Log).Select(p => (JsonNode)p.Name).ToArray()),
            ["trials"] = new JsonObject(Enum.GetValues<TrialState>().Select(s =>
                KeyValuePair.Create(s.ToString().ToLowerInvariant(), (JsonNode?)report.Trials.Count(t => t.State == s)))),
            ["best"] = report.Best is { } b ? new JsonObject
            {
                ["trial"] = b.Number,
                ["output"] = b.Output,
                ["cost"] = b.Cost,
                ["parameters"] = Parameters(b.Parameters),
            } : null,
            ["pareto"] = new JsonArray(report.Front.Points.Select(p => (JsonNode)new JsonObject
            {
                ["cost"] = p.Cost,
                ["output"] = p.Output,
                ["count"] = p.Count,
                ["parameters"] = Parameters(p.Parameters),
            }).ToArray()),
            ["pareto_area"] = Finite(report.Front.Area),
            ["best_at_cost"] = new JsonArray(report.BestAtCost.Select(r => (JsonNode)new JsonObject
            {
                ["cost_limit"] = r.CostLimit, ["trial"] = r.Trial, ["cost"] = r.Cost, ["output"] = r.Output,
            }).ToArray()),
            ["target_cost"] = report.TargetCost,
            ["scaling_laws"] = report.Laws is null ? null : JsonSerializer.SerializeToNode(report.Laws, SnakeCase),
            ["scaling_laws_unavailable"] = report.LawsUnavailableReason,
            ["scale_up"] = report.ScaleUp is { } up ? new JsonObject
            {
                ["factor"] = up.Factor,
                ["base_cost"] = up.BaseCost,
                ["target_cost"] = up.TargetCost,
                ["metric"] = new JsonObject { ["predicted"] = up.Metric.Predicted, ["lower"] = up.Metric.Lower, ["upper"] = up.Metric.Upper, ["method"] = up.Metric.Method },
                ["at_settings"] = ToJson(up.AtSettings),
                ["smaller_factor"] = up.SmallerFactor is { } smaller
                    ? new JsonObject { ["factor"] = smaller.Factor, ["predicted"] = smaller.Predicted, ["lower"] = smaller.Lower, ["upper"] = smaller.Upper }
                    : null,
                ["parameters"] = new JsonArray(up.Parameters.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name, ["predicted"] = p.Predicted, ["lower"] = p.Lower, ["upper"] = p.Upper, ["method"] = p.Method,
                }).ToArray()),
                ["predicted_cost"] = up.PredictedCost,
                ["predicted_cost_r_squared"] = up.PredictedCostRSquared,
                ["predicted_cost_model"] = up.PredictedCostModel,
                ["predicted_cost_formula"] = up.PredictedCostFormula,
                ["law_cost"] = up.LawCost,
                ["is_cost_matched"] = up.IsCostMatched,
                ["warnings"] = new JsonArray(up.Warnings.Select(w => (JsonNode)w).ToArray()),
            } : null,
            ["scaling_law_curves"] = JsonSerializer.SerializeToNode(ScalingLawCurves.Sample(report), SnakeCase),
            ["best_so_far"] = new JsonArray(report.BestSoFar.Select(p => (JsonNode)new JsonObject
            {
                ["trial"] = p.Trial, ["cumulative_cost"] = p.CumulativeCost, ["best_output"] = p.BestOutput,
            }).ToArray()),
            ["scale_up_trials"] = ScaleUpTrials(report.ScaleUpTrials),
            ["trial_rows"] = new JsonArray(report.Trials.Select(t => (JsonNode)Trial(t)).ToArray()),
        };
    }

    /// <summary>
    /// Launched scale-up trials with their predictions and outcomes, as <c>study show --json</c> and <c>study scale-up
    /// --json</c> both print them (values a record could not give, such as an old record's missing standard deviation, as null).
    /// </summary>
    public static JsonArray ScaleUpTrials(IEnumerable<ScaleUpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new JsonArray(records.Select(r => (JsonNode)new JsonObject
        {
            ["trial"] = r.Trial, ["state"] = r.State.ToString().ToLowerInvariant(), ["factor"] = r.Factor, ["target_cost"] = r.TargetCost,
            ["predicted"] = r.Predicted, ["lower"] = r.Lower, ["upper"] = r.Upper, ["actual_output"] = Finite(r.ActualOutput), ["actual_cost"] = Finite(r.ActualCost),
            ["is_inside_interval"] = r.IsInsideInterval, ["method"] = r.Method,
            ["at_settings"] = ToJson(r.AtSettings), ["is_inside_settings_interval"] = r.IsInsideSettingsInterval,
        }).ToArray());
    }

    /// <summary>One trial as a table row: state, parameters, metric, cost, timing, failure and the latest progress line.</summary>
    public static JsonObject Trial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new JsonObject
        {
            ["number"] = trial.Number,
            ["state"] = trial.State.ToString().ToLowerInvariant(),
            ["phase"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(trial.Phase.ToString()),
            ["attempt"] = trial.Attempt,
            ["worker"] = trial.WorkerId,
            ["parameters"] = Parameters(trial.Parameters),
            ["output"] = Finite(trial.Output),
            ["cost"] = Finite(trial.Cost),
            ["elapsed_seconds"] = trial.ElapsedSeconds,
            ["started_at"] = trial.StartedAt?.ToString("O"),
            ["finished_at"] = trial.FinishedAt?.ToString("O"),
            ["failure_reason"] = trial.FailureReason,
            ["last_progress"] = ParseOrText(trial.LastProgressJson),
        };
    }

    private static JsonNode? ParseOrText(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static JsonObject Parameters(IReadOnlyDictionary<string, ParamValue> parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Key, JsonSerializer.SerializeToNode(p.Value))));

    /// <summary>The output model's prediction for one run at a scale-up's settings, as stored and reported; null without one.</summary>
    internal static JsonObject? ToJson(SettingsPrediction? prediction) => prediction is { } s
        ? new JsonObject { ["predicted"] = s.Predicted, ["lower"] = s.Lower, ["upper"] = s.Upper, ["std_dev"] = Finite(s.StdDev) }
        : null;

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
