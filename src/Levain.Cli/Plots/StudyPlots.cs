using Levain.Runner.Reports;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;
using ScottPlot;

namespace Levain.Cli.Plots;

/// <summary>
/// PNG plots of a study report (ScottPlot 5): the Pareto front over all observations; each numeric parameter against
/// cost along the front with its fitted law; the best metric so far against cumulative cost. Cost axes are log10 with
/// labels in cost units. Callable from any command.
/// </summary>
public static class StudyPlots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>Writes every plot into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(StudyReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        if (Pareto(report, Path.Combine(directory, "pareto.png")) is { } pareto) files.Add(pareto);
        foreach (var spec in report.Study.Spec.Parameters.Where(p => p.Kind is ParameterKind.Linear or ParameterKind.Log or ParameterKind.Logit))
        {
            if (ParameterAlongFront(report, spec, Path.Combine(directory, $"param-{spec.Name}.png")) is { } file) files.Add(file);
        }
        if (BestSoFar(report, Path.Combine(directory, "best-so-far.png")) is { } best) files.Add(best);
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
        plot.SavePng(path, Width, Height);
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

        var law = report.Laws?.Parameters.FirstOrDefault(l => l.Name == spec.Name);
        var curve = ScalingLawCurves.Sample(report).FirstOrDefault(c => c.Parameter == spec.Name);
        if (law is not null && curve is { Points.Count: > 1 })
        {
            var xs = curve.Points.Select(p => Math.Log10(p.Cost)).ToArray();
            if (curve.Points.All(p => p.Lower is double l && p.Upper is double u && (!isLog || l > 0 && u > 0)))
            {
                var band = plot.Add.FillY(xs, curve.Points.Select(p => Y(p.Lower!.Value)).ToArray(), curve.Points.Select(p => Y(p.Upper!.Value)).ToArray());
                band.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.15);
                band.LineStyle.Width = 0;
                band.LegendText = "90% prediction interval";
            }
            var fitted = plot.Add.Scatter(xs, curve.Points.Select(p => Y(p.Value)).ToArray());
            fitted.MarkerSize = 0;
            fitted.LineWidth = 2;
            fitted.Color = Colors.OrangeRed;
            fitted.LegendText = $"fit: basic = {Num(law.Intercept)} + {Num(law.Slope)}·ln(cost)";
            if (law.TargetCost is double target && law.PredictedValueInParam is double predicted)
            {
                var marker = plot.Add.Scatter(new[] { Math.Log10(target) }, new[] { Y(predicted) });
                marker.LineWidth = 0;
                marker.MarkerSize = 11;
                marker.MarkerShape = MarkerShape.FilledDiamond;
                marker.Color = Colors.DarkRed;
                var interval = law.LowerInParam is double l && law.UpperInParam is double u ? $" [{Num(l)}, {Num(u)}]" : "";
                marker.LegendText = $"at cost {Num(target)}: {Num(predicted)}{interval}";
                if (law.LowerInParam is double lower && law.UpperInParam is double upper)
                {
                    var bar = plot.Add.Line(Math.Log10(target), Y(lower), Math.Log10(target), Y(upper));
                    bar.LineWidth = 2;
                    bar.Color = Colors.DarkRed;
                }
            }
        }
        Style(plot, $"{spec.Name} along the Pareto front", $"{report.Study.Spec.CostSource} (log scale)", isLog ? $"{spec.Name} (log scale)" : spec.Name);
        LogTicks(plot.Axes.Bottom);
        if (isLog) LogTicks(plot.Axes.Left);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
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
        plot.SavePng(path, Width, Height);
        return path;
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
