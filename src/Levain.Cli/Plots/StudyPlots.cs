using Levain.Runner.Reports;
using Levain.Studies.Trials;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;
using ScottPlot;

namespace Levain.Cli.Plots;

/// <summary>
/// PNG or SVG plots of a study report (ScottPlot 5): the Pareto front over all observations with the metric's law and
/// its 90 % band; each numeric parameter against cost along the front with its law and band (extrapolated part dashed,
/// beyond a dashed line at the dearest Pareto point); the best metric so far against cumulative cost. Cost axes are log10 with
/// labels in cost units. Callable from any command.
/// </summary>
public static class StudyPlots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>Writes every plot into <paramref name="directory"/> as <paramref name="format"/> (png or svg); returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(StudyReport report, string directory, string format = "png")
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(format is "png" or "svg", true, nameof(format));
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        if (Pareto(report, Path.Combine(directory, $"pareto.{format}")) is { } pareto) files.Add(pareto);
        foreach (var spec in report.Study.Spec.Parameters.Where(p => p.Kind is ParameterKind.Linear or ParameterKind.Log or ParameterKind.Logit))
        {
            if (ParameterAlongFront(report, spec, Path.Combine(directory, $"param-{spec.Name}.{format}")) is { } file) files.Add(file);
        }
        if (BestSoFar(report, Path.Combine(directory, $"best-so-far.{format}")) is { } best) files.Add(best);
        return files;
    }

    public static string? Pareto(StudyReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ok = report.Trials.Where(t => t.State == TrialState.Succeeded && t.Cost > 0 && t.Output is double y && double.IsFinite(y)).ToList();
        if (ok.Count == 0) return null;
        var plot = new Plot();
        var all = plot.Add.Scatter(ok.Select(t => Math.Log10(t.Cost!.Value)).ToArray(), ok.Select(t => t.Output!.Value).ToArray());
        all.LineWidth = 0;
        all.MarkerSize = 6;
        all.Color = Colors.Gray.WithAlpha(0.6);
        all.LegendText = "trials";
        var front = report.Front.Points.Where(p => p.Cost > 0).ToList();
        if (ScalingLawCurves.Sample(report).FirstOrDefault(c => c.Parameter is null) is { Points.Count: > 1 } metricCurve)
        {
            var law = report.ScaleUp is null ? "front law" : report.ScaleUp.Metric.Method == ScaleUpPredictor.SurrogateMethod ? "saturating law (predicted front)" : "saturating law";
            DrawLaw(plot, metricCurve, v => v, law, report.ScaleUp?.BaseCost);
        }
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(p => Math.Log10(p.Cost)).ToArray(), front.Select(p => p.Output).ToArray());
            line.LineWidth = 2;
            line.MarkerSize = 9;
            line.Color = Colors.OrangeRed;
            line.LegendText = "Pareto front";
        }
        var spec = report.Study.Spec;
        Style(plot, $"{report.Study.Name}: Pareto front ({spec.Direction.ToString().ToLowerInvariant()} {spec.Metric})", $"{spec.CostSource} (log scale)", spec.Metric);
        LogTicks(plot.Axes.Bottom);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
        return path;
    }

    public static string? ParameterAlongFront(StudyReport report, ParameterSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(spec);
        var front = report.Front.Points.Where(p => p.Cost > 0 && p.Parameters.TryGetValue(spec.Name, out var v) && v.Kind == ParamValueKind.Number).ToList();
        if (front.Count == 0) return null;
        var isLog = spec.Kind == ParameterKind.Log;
        double Y(double valueInParam) => isLog ? Math.Log10(valueInParam) : valueInParam;
        var plot = new Plot();
        var points = plot.Add.Scatter(front.Select(p => Math.Log10(p.Cost)).ToArray(), front.Select(p => Y(p.Parameters[spec.Name].Number)).ToArray());
        points.LineWidth = 0;
        points.MarkerSize = 9;
        points.Color = Colors.SteelBlue;
        points.LegendText = "Pareto points";

        var curve = ScalingLawCurves.Sample(report).FirstOrDefault(c => c.Parameter == spec.Name);
        var scaleUp = report.ScaleUp?.Parameters.FirstOrDefault(p => p.Name == spec.Name);
        var law = report.Laws?.Parameters.FirstOrDefault(l => l.Name == spec.Name);
        if (curve is { Points.Count: > 1 } && (scaleUp is not null || law is not null))
        {
            var fitText = scaleUp is not null
                ? $"{scaleUp.Method} law: basic = {Num(scaleUp.Intercept)} + {Num(scaleUp.Slope)}·ln(cost)"
                : $"fit: basic = {Num(law!.Intercept)} + {Num(law.Slope)}·ln(cost)";
            DrawLaw(plot, curve, Y, fitText, report.ScaleUp?.BaseCost, isLog);
            double? target = scaleUp is not null ? report.ScaleUp!.TargetCost : law!.TargetCost;
            double? predicted = scaleUp?.Predicted ?? law?.PredictedValueInParam;
            double? lowerBound = scaleUp?.Lower ?? law?.LowerInParam;
            double? upperBound = scaleUp?.Upper ?? law?.UpperInParam;
            if (target is double t && predicted is double value)
            {
                var marker = plot.Add.Scatter(new[] { Math.Log10(t) }, new[] { Y(value) });
                marker.LineWidth = 0;
                marker.MarkerSize = 11;
                marker.MarkerShape = MarkerShape.FilledDiamond;
                marker.Color = Colors.DarkRed;
                var interval = lowerBound is double l && upperBound is double u ? $" [{Num(l)}, {Num(u)}]" : "";
                marker.LegendText = $"at cost {Num(t)}: {Num(value)}{interval}";
                if (lowerBound is double lower && upperBound is double upper && (!isLog || lower > 0))
                {
                    var bar = plot.Add.Line(Math.Log10(t), Y(lower), Math.Log10(t), Y(upper));
                    bar.LineWidth = 2;
                    bar.Color = Colors.DarkRed;
                }
            }
        }
        Style(plot, $"{spec.Name} along the Pareto front", $"{report.Study.Spec.CostSource} (log scale)", isLog ? $"{spec.Name} (log scale)" : spec.Name);
        LogTicks(plot.Axes.Bottom);
        if (isLog) LogTicks(plot.Axes.Left);
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path);
        return path;
    }

    public static string? BestSoFar(StudyReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var points = report.BestSoFar.Where(p => p.CumulativeCost > 0).ToList();
        if (points.Count == 0) return null;
        var plot = new Plot();
        var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.CumulativeCost)).ToArray(), points.Select(p => p.BestOutput).ToArray());
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        line.MarkerSize = 5;
        line.Color = Colors.SeaGreen;
        var spec = report.Study.Spec;
        Style(plot, $"{report.Study.Name}: best {spec.Metric} so far", $"cumulative {spec.CostSource} (log scale)", $"best {spec.Metric}");
        LogTicks(plot.Axes.Bottom);
        Save(plot, path);
        return path;
    }

    /// <summary>
    /// A law with its 90 % band (when the curve has one): solid over the Pareto points, dashed beyond the dearest one
    /// (<paramref name="baseCost"/>), where a dashed vertical line marks the start of the extrapolation.
    /// </summary>
    private static void DrawLaw(Plot plot, ScalingLawCurve curve, Func<double, double> y, string legend, double? baseCost, bool isLog = false)
    {
        var points = curve.Points;
        var xs = points.Select(p => Math.Log10(p.Cost)).ToArray();
        if (points.All(p => p.Lower is double l && p.Upper is double u && (!isLog || l > 0 && u > 0)))
        {
            var band = plot.Add.FillY(xs, points.Select(p => y(p.Lower!.Value)).ToArray(), points.Select(p => y(p.Upper!.Value)).ToArray());
            band.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.15);
            band.LineStyle.Width = 0;
            band.LegendText = "90% interval band";
        }
        var split = points.Count(p => !p.IsExtrapolated);
        var fitted = plot.Add.Scatter(xs[..Math.Max(split, 1)], points.Take(Math.Max(split, 1)).Select(p => y(p.Value)).ToArray());
        fitted.MarkerSize = 0;
        fitted.LineWidth = 2;
        fitted.Color = Colors.OrangeRed;
        fitted.LegendText = legend;
        if (split < points.Count)
        {
            var from = Math.Max(split - 1, 0);
            var extrapolated = plot.Add.Scatter(xs[from..], points.Skip(from).Select(p => y(p.Value)).ToArray());
            extrapolated.MarkerSize = 0;
            extrapolated.LineWidth = 2;
            extrapolated.LinePattern = LinePattern.Dashed;
            extrapolated.Color = Colors.OrangeRed;
            extrapolated.LegendText = "extrapolated";
        }
        if (baseCost is double c && c > 0 && split < points.Count)
        {
            var edge = plot.Add.VerticalLine(Math.Log10(c));
            edge.LinePattern = LinePattern.Dashed;
            edge.Color = Colors.Gray;
            edge.LineWidth = 1;
        }
    }

    /// <summary>SVG when the path ends in .svg, else PNG.</summary>
    private static void Save(Plot plot, string path)
    {
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(path, Width, Height);
        else plot.SavePng(path, Width, Height);
    }

    private static void Style(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
    }

    /// <summary>An axis whose coordinates are log10 values, labelled in original units with log minor ticks.</summary>
    private static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Num(Math.Pow(10, v)),
        };
    }

    private static string Num(double value) => Rendering.NumberText.Format(value);
}
