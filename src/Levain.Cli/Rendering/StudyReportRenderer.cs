using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Runner.Reports;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Scaling;
using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>
/// Renders a <see cref="StudyReport"/> as tables (summary, Pareto front, best result under each cost, scaling laws
/// with intervals) or as JSON. Callable from any command (e.g. <c>levain demo</c> after its study).
/// </summary>
public static class StudyReportRenderer
{
    public static void Render(IAnsiConsole console, StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var spec = report.Study.Spec;
        int Count(TrialState s) => report.Trials.Count(t => t.State == s);
        console.MarkupLine($"[bold]study {Markup.Escape(report.Study.Name)}[/]: {spec.Direction.ToString().ToLowerInvariant()} {Markup.Escape(spec.Metric)}, cost = {Markup.Escape(spec.CostSource)}");
        console.MarkupLine($"trials: {Count(TrialState.Succeeded)} succeeded, {Count(TrialState.Failed)} failed, {Count(TrialState.Running)} running, " +
            $"{Count(TrialState.Suggested)} waiting for retry, {Count(TrialState.Abandoned)} abandoned");
        if (report.Best is { } best)
        {
            console.MarkupLine($"best: {Markup.Escape(spec.Metric)} {Num(best.Output)} at cost {Num(best.Cost)} (trial {best.Number}) — {Markup.Escape(ParameterText.FormatAll(best.Parameters, spec.Parameters))}");
        }

        var names = spec.Parameters.Select(p => p.Name).ToList();
        var pareto = new Table { Title = new TableTitle("Pareto front (cost vs metric, over all observations)") };
        pareto.AddColumn(new TableColumn("cost").RightAligned());
        pareto.AddColumn(new TableColumn(Markup.Escape(spec.Metric)).RightAligned());
        pareto.AddColumn(new TableColumn("n").RightAligned());
        foreach (var n in names) pareto.AddColumn(new TableColumn(Markup.Escape(n)).RightAligned());
        foreach (var p in report.Front.Points)
        {
            var cells = new List<string> { Num(p.Cost), Num(p.Output), p.Count.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(names.Select(n => Markup.Escape(p.Parameters.TryGetValue(n, out var v) ? Value(v, spec.Parameters.First(s => s.Name == n)) : "")));
            pareto.AddRow(cells.ToArray());
        }
        console.Write(pareto);

        var atCost = new Table { Title = new TableTitle("Best result at each cost") };
        atCost.AddColumn(new TableColumn("cost ≤").RightAligned());
        atCost.AddColumn(new TableColumn(Markup.Escape(spec.Metric)).RightAligned());
        atCost.AddColumn(new TableColumn("trial").RightAligned());
        atCost.AddColumn(new TableColumn("its cost").RightAligned());
        foreach (var row in report.BestAtCost)
        {
            atCost.AddRow(Num(row.CostLimit), Num(row.Output), row.Trial.ToString(CultureInfo.InvariantCulture), Num(row.Cost));
        }
        console.Write(atCost);

        if (report.ScaleUpTrials.Count > 0)
        {
            var scaleUp = new Table { Title = new TableTitle($"Scale-up trials: predicted vs actual {Markup.Escape(spec.Metric)}") };
            foreach (var c in new[] { "trial", "factor", "target cost", "predicted", "90% interval", "one run at its settings", "actual", "its cost", "inside" }) scaleUp.AddColumn(c);
            foreach (var r in report.ScaleUpTrials)
            {
                scaleUp.AddRow(r.Trial.ToString(CultureInfo.InvariantCulture), Num(r.Factor), Num(r.TargetCost), Num(r.Predicted), Markup.Escape(Interval(r.Lower, r.Upper)),
                    r.AtSettings is { } s ? Markup.Escape($"{Num(s.Predicted)} {Interval(s.Lower, s.Upper)}") : "-",
                    r.ActualOutput is double y ? Num(y) : r.State.ToString().ToLowerInvariant(), Num(r.ActualCost), r.IsInsideInterval is bool b ? (b ? "yes" : "no") : "-");
            }
            console.Write(scaleUp);
        }

        if (report.Laws is null)
        {
            console.MarkupLine($"[grey]{Markup.Escape(report.LawsUnavailableReason ?? "no scaling laws")}[/]");
            return;
        }
        var laws = new Table { Title = new TableTitle($"Parameter laws along the front (basic value = a + b·ln cost), extrapolated to cost {Num(report.TargetCost)} with 90% intervals") };
        foreach (var c in new[] { "parameter", "b (slope)", "a", "residual sd", "points", "at target", "interval" }) laws.AddColumn(c);
        foreach (var law in report.Laws.Parameters)
        {
            laws.AddRow(Markup.Escape(law.Name), Num(law.Slope), Num(law.Intercept), Num(law.ResidualStdDev), law.PointCount.ToString(CultureInfo.InvariantCulture),
                Num(law.PredictedValueInParam), Markup.Escape(Interval(law.LowerInParam, law.UpperInParam)));
        }
        console.Write(laws);
        if (report.Laws.Front is { } front)
        {
            console.MarkupLine(Markup.Escape(MetricLawLine(spec.Metric, front, report.TargetCost)));
            if (report.ScaleUp is { } up)
            {
                console.MarkupLine(Markup.Escape(ScaleUpLine(spec.Metric, up)));
            }
            foreach (var warning in SaturatingLaw.FrontWarnings(front.Saturating, report.Front.Points.Select(p => p.Output), spec.MetricBound, spec.Direction == Direction.Maximize))
            {
                console.MarkupLine($"[yellow]warning: {Markup.Escape(warning)}[/]");
            }
        }
    }

    /// <summary>
    /// The metric's law along the front in one line: the saturating law E ± A·C^−α (with its bound when the floor is held
    /// there), or with two points the straight line, and the prediction at the target with its 90 % interval.
    /// </summary>
    internal static string MetricLawLine(string metric, Levain.Tuning.Scaling.FrontLaw front, double? targetCost)
    {
        ArgumentNullException.ThrowIfNull(front);
        var law = front.Saturating is { } s
            ? $"saturating law {Num(s.Floor)} {(s.Sign > 0 ? "+" : "−")} {Num(s.Amplitude)}·C^−{Num(s.Exponent)}" +
              (s.FloorAtBound ? $" (floor held at metric_bound {Num(s.Bound)})" : s.Bound is { } b ? $" (metric_bound {Num(b)})" : "")
            : $"straight line {Num(front.Intercept)} + {Num(front.Slope)}·ln C (only {front.PointCount} Pareto points; a saturating law needs 3)";
        var at = front.PredictedOutput is double y ? $": {Num(y)} at cost {Num(targetCost)}, 90% interval {Interval(front.Lower, front.Upper)}" : "";
        var along = front.Method == Levain.Tuning.Scaling.ScaleUpPredictor.SurrogateMethod ? "along the surrogate's predicted front" : "along the front";
        return $"{metric} {along}, {law}{at}";
    }

    /// <summary>
    /// The scale-up's recommendation in one line: its settings and, when the surrogate could model them, what its output
    /// model expects of one run there (with the warning when that is no better than at the best trial).
    /// </summary>
    internal static string ScaleUpLine(string metric, Levain.Tuning.Scaling.ScaleUpPrediction up)
    {
        ArgumentNullException.ThrowIfNull(up);
        var settings = string.Join(", ", up.Parameters.Select(p => $"{p.Name} {Num(p.Predicted)}"));
        var run = up.AtSettings is { } s ? $"; {metric} of one run there {Num(s.Predicted)} {Interval(s.Lower, s.Upper)} (the surrogate's output model)" : "";
        var warning = up.Warnings.FirstOrDefault(w => w.Contains(Levain.Tuning.Scaling.ScaleUpPredictor.NotExpectedToBeatWarning, StringComparison.Ordinal)) is { } w ? $". warning: {w}" : "";
        return $"scale-up to cost {Num(up.TargetCost)} ({Num(up.Factor)}x): {settings}{run}{warning}";
    }

    /// <summary>The report as JSON; the format lives in <see cref="StudyReportJson"/> (Runner) so the dashboard shares it.</summary>
    public static JsonObject ToJson(StudyReport report) => StudyReportJson.ToJson(report);

    private static string Value(Levain.Tuning.Spaces.ParamValue v, Levain.Tuning.Spaces.ParameterSpec spec) =>
        v.Kind == Levain.Tuning.Spaces.ParamValueKind.Number ? Num(v.Number) : ParameterText.Format(v, spec);

    private static string Interval(double? lower, double? upper) => lower is null || upper is null ? "-" : $"[{Num(lower)}, {Num(upper)}]";

    internal static string Num(double? value) => NumberText.Format(value);
}
