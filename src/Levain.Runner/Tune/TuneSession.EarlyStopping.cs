using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Runner.Protocol;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning.EarlyStopping;

namespace Levain.Runner.Tune;

/// <summary>
/// Early stopping: every <c>levain-progress</c> line that carries the study's metric and cost is one point of the
/// trial's curve, judged by the study's rule: front dominance (<see cref="FrontDominance"/>) or cost-aware ASHA
/// (<see cref="CostAwareAsha"/>). A stopped trial's process is stopped like a cancelled one, and its last reported
/// metric at the cost it had spent becomes a succeeded observation whose result says <c>"early_stopped"</c> (with the
/// rule's reasons), so the tuner learns from it and its cost counts against the budget.
/// </summary>
public sealed partial class TuneSession
{
    private readonly object _earlyStoppingGate = new();
    private CostAwareAsha? _earlyStopping;
    private FrontDominance? _frontRule;
    private bool _warnedNoPlannedCost;

    /// <summary>
    /// The point where the rule stopped a trial: its metric and cost then, the rule's record of why (the result's
    /// <c>early_stopped</c> object, without the line), the same in words, and the line.
    /// </summary>
    private sealed record EarlyStop(CurvePoint Point, JsonObject Rule, string Why);

    /// <summary>
    /// One progress line as a point of a curve: the study's cost and metric, the line's <c>step</c> and <c>steps</c>
    /// (null unless it says both, 0 &lt; step ≤ steps) and the parsed line. From them: the share of the run done and
    /// the planned total cost, cost × steps / step.
    /// </summary>
    private sealed record CurvePoint(double Cost, double Value, (double Step, double Steps)? Progress, JsonObject Line)
    {
        public double? Done => Progress is var (step, steps) ? step / steps : null;

        public double? Planned => Progress is var (step, steps) ? Cost * steps / step : null;
    }

    /// <summary>
    /// Builds the rule and replays every stored progress line of the study in the order they were stored, so a resumed
    /// study (or a second worker) judges new curves against all earlier ones.
    /// </summary>
    private async Task StartEarlyStoppingAsync(CancellationToken cancellationToken)
    {
        var asha = _study.EarlyStoppingFront is null ? new CostAwareAsha(_study.EarlyStopping!, _study.Direction) : null;
        var front = _study.EarlyStoppingFront is { } frontOptions ? new FrontDominance(frontOptions, _study.Direction) : null;
        var trials = await WithRetryAsync(() => _store.GetTrialsAsync(_study.Name, cancellationToken)).ConfigureAwait(false);
        var points = new List<(DateTimeOffset At, string Trial, double Cost, double Value, double? Planned)>();
        foreach (var trial in trials.Where(t => t.StartedAt is not null))
        {
            var progress = await WithRetryAsync(() => _store.GetProgressAsync(_study.Name, trial.Number, cancellationToken)).ConfigureAwait(false);
            foreach (var record in progress)
            {
                var seconds = (record.At - trial.StartedAt!.Value).TotalSeconds;
                if (ReadCurvePoint(record.Json, seconds) is { } point) points.Add((record.At, trial.TrialId, point.Cost, point.Value, point.Planned));
            }
        }
        foreach (var (_, trial, cost, value, planned) in points.OrderBy(p => p.At))
        {
            asha?.Report(trial, cost, value, planned);
            front?.Report(trial, cost, value, planned);
        }
        lock (_earlyStoppingGate) (_earlyStopping, _frontRule) = (asha, front);
        if (points.Count > 0)
        {
            Report(TuneEventKind.TunerLog, $"early stopping: replayed {points.Count} stored progress points of {points.Select(p => p.Trial).Distinct().Count()} trials", null);
        }
    }

    /// <summary>Judges one progress line of a running trial; returns the stop, or null to go on.</summary>
    private EarlyStop? JudgeProgress(string trial, string progressJson, double elapsedSeconds)
    {
        if ((_earlyStopping is null && _frontRule is null) || ReadCurvePoint(progressJson, elapsedSeconds) is not { } point) return null;
        bool warn;
        EarlyStop? stop;
        lock (_earlyStoppingGate)
        {
            warn = _frontRule is not null && point.Planned is null && !_warnedNoPlannedCost;
            _warnedNoPlannedCost |= warn;
            stop = _frontRule is not null ? JudgeFront(_frontRule, trial, point) : JudgeAsha(_earlyStopping!, trial, point);
        }
        if (warn)
        {
            Report(TuneEventKind.TunerLog, $"early stopping (front): trial {trial}'s progress lines carry {_study.Metric} but not step and steps, so its planned cost is unknown and it cannot be stopped (its points still build the front)", null);
        }
        return stop;
    }

    private static string G(double x, string format = "G5") => x.ToString(format, CultureInfo.InvariantCulture);

    private EarlyStop? JudgeFront(FrontDominance rule, string trial, CurvePoint point)
    {
        var f = rule.Report(trial, point.Cost, point.Value, point.Planned);
        if (!f.Stop) return null;
        var record = new JsonObject { ["rule"] = "front", ["planned_cost"] = f.PlannedCost, ["projected"] = f.Projected, ["front"] = f.Front };
        // Without a complete shorter run, the tuner is told this estimate of the run's end (StudyTuner.ToObservation).
        if (double.IsFinite(f.ProjectedFinal)) record[StudyTuner.ProjectedFinalKey] = f.ProjectedFinal;
        var why = $"its curve projects (optimistically) to {_study.Metric}={G(f.Projected)} at its planned {_study.Cost} {G(f.PlannedCost, "G4")}, " +
            $"worse than the front's {G(f.Front)} there";
        return new EarlyStop(point, record, why);
    }

    private EarlyStop? JudgeAsha(CostAwareAsha rule, string trial, CurvePoint point)
    {
        var d = rule.Report(trial, point.Cost, point.Value, point.Planned);
        if (!d.Stop) return null;
        var record = new JsonObject { ["rule"] = "asha", ["rung"] = d.Rung, ["rung_cost"] = d.RungCost, ["value_at_rung"] = d.Value, ["rung_size"] = d.RungSize, ["kept"] = d.Kept };
        return new EarlyStop(point, record, $"outside the best {d.Kept} of {d.RungSize} at rung {d.Rung} ({_study.Cost} {G(d.RungCost, "G4")})");
    }

    /// <summary>
    /// The (cost, metric) a progress line reports: the metric is the study's metric key; the cost is the study's cost
    /// key, or for <c>seconds</c> the line's own <c>seconds</c> when it has one, else the time since the trial started.
    /// Null when the line lacks the metric (not every line carries an evaluation) or is not a JSON object. The planned
    /// total cost is cost × steps / step when the line says <c>step</c> and <c>steps</c> (as <c>levain train</c>'s do).
    /// </summary>
    private CurvePoint? ReadCurvePoint(string progressJson, double elapsedSeconds)
    {
        try
        {
            if (JsonNode.Parse(progressJson) is not JsonObject line) return null;
            if (Number(line, _study.Metric) is not double value) return null;
            double? cost = _study.Cost == TrialResultInterpreter.SecondsCost ? Number(line, "seconds") ?? elapsedSeconds : Number(line, _study.Cost);
            if (cost is not double c || !double.IsFinite(c) || c < 0 || !double.IsFinite(value)) return null;
            (double, double)? progress = Number(line, "step") is double step && step > 0 && Number(line, "steps") is double steps && steps >= step ? (step, steps) : null;
            return new CurvePoint(c, value, progress, line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double? Number(JsonObject line, string key) =>
        line[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private async Task RecordEarlyStopAsync(TrialLease lease, EarlyStop stop, LaunchResult launch)
    {
        var rule = (JsonObject)stop.Rule.DeepClone();
        rule["progress"] = stop.Point.Line.DeepClone();
        string? observedAs = null;
        if (_study.EarlyStoppingLengthParameter is { } lengthName)
        {
            var (shortened, whyNot) = ShortenedRun(_study.Parameters.First(p => p.Name == lengthName), lease.Parameters, stop.Point.Done);
            if (shortened is double value)
            {
                rule[StudyTuner.ShortenedRunKey] = new JsonObject { [lengthName] = value };
                observedAs = $"; observed as the complete run with {lengthName}={value.ToString("G6", CultureInfo.InvariantCulture)}";
            }
            else
            {
                observedAs = $"; observed as a partial run ({whyNot})";
            }
        }
        var result = new JsonObject
        {
            [_study.Metric] = stop.Point.Value,
            [_study.Cost] = stop.Point.Cost,
            ["early_stopped"] = rule,
        };
        var outcome = new TrialOutcome(TrialState.Succeeded, stop.Point.Value, stop.Point.Cost, launch.Elapsed.TotalSeconds, result.ToJsonString(), null);
        if (!await StoreOutcomeAsync(lease, outcome).ConfigureAwait(false))
        {
            Report(TuneEventKind.LeaseLost, $"trial {lease.Number}: lease lost before the result was stored; discarded", lease.Number);
            return;
        }
        await RefreshStatusAsync().ConfigureAwait(false);
        Report(TuneEventKind.TrialEarlyStopped,
            $"trial {lease.Number} stopped early at {_study.Cost} {stop.Point.Cost.ToString("G5", CultureInfo.InvariantCulture)}: " +
            $"{_study.Metric}={stop.Point.Value.ToString("G5", CultureInfo.InvariantCulture)}, {stop.Why}{observedAs}",
            lease.Number);
    }

    /// <summary>
    /// The value of the run-length parameter of the complete run a trial stopped with <paramref name="done"/> (step /
    /// steps of its progress line) amounts to: the planned value × done, rounded as the parameter rounds. Null, with the
    /// reason, when the line did not say <c>step</c> and <c>steps</c>, the trial has no numeric value for it, or the
    /// shorter run lies below its bounds.
    /// </summary>
    internal static (double? Value, string? WhyNot) ShortenedRun(Levain.Tuning.Spaces.ParameterSpec spec, IReadOnlyDictionary<string, Levain.Tuning.Spaces.ParamValue> parameters, double? done)
    {
        var lengthName = spec.Name;
        if (!parameters.TryGetValue(lengthName, out var planned) || planned.Kind != Levain.Tuning.Spaces.ParamValueKind.Number)
        {
            return (null, $"the trial has no number for {lengthName}");
        }
        if (done is not double fraction)
        {
            return (null, "its progress line does not say step and steps");
        }
        var value = planned.Number * fraction;
        if (spec.IsInteger)
        {
            value = Math.Round(value / spec.Rounding, MidpointRounding.ToEven) * spec.Rounding;
        }
        var lowest = spec.Min ?? (spec.Kind == Levain.Tuning.Spaces.ParameterKind.Log ? double.Epsilon : double.NegativeInfinity);
        if (value < lowest || (spec.Kind == Levain.Tuning.Spaces.ParameterKind.Log && value <= 0))
        {
            return (null, $"{lengthName}={value.ToString("G6", CultureInfo.InvariantCulture)} is below its bounds");
        }
        return (value, null);
    }
}
