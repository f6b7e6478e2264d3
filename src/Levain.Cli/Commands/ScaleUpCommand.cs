using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Levain.Cli.Rendering;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;
using Spectre.Console;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain study scale-up STUDY --factor 10</c>: recommended settings at factor × the dearest Pareto point's cost,
/// the predicted metric with its 90 % bootstrap interval, warnings, and predicted-vs-actual for trials already run at
/// a larger cost than the front's dearest point.
/// </summary>
internal static class ScaleUpCommand
{
    public static async Task<int> RunAsync(IStudyStore store, string studyName, double factor, int bootstrap, bool json, CancellationToken ct)
    {
        var record = await store.FindStudyAsync(studyName, ct).ConfigureAwait(false);
        if (record is null) return CliConsole.Fail($"no study named '{studyName}'", 2);
        var trials = await store.GetTrialsAsync(studyName, ct).ConfigureAwait(false);
        var observations = trials.Select(StudyTuner.ToObservation).OfType<Observation>().ToList();
        var space = new SearchSpace(record.Spec.Parameters);
        var prediction = ScaleUpPredictor.Predict(space, observations, record.Spec.Direction, factor, record.Spec.Tuner.MinParetoCostFraction, bootstrap);
        if (prediction is null)
        {
            return CliConsole.Fail($"study '{studyName}': scale-up needs at least 3 Pareto points with positive cost", 2);
        }
        // Trials dearer than the front's base cost: how did the law do on them (predicted at their own cost)?
        var checks = trials
            .Where(t => t.State == TrialState.Succeeded && t.Output is double && t.Cost is double c && c > prediction.BaseCost * 1.5)
            .Select(t => (Trial: t.Number, Cost: t.Cost!.Value, Actual: t.Output!.Value, Predicted: prediction.Metric.Law.Predict(t.Cost!.Value)))
            .ToList();
        if (json)
        {
            var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
            CliConsole.Out.WriteLine(JsonSerializer.Serialize(new
            {
                study = studyName,
                metric_name = record.Spec.Metric,
                prediction,
                predicted_vs_actual = checks.Select(c => new { trial = c.Trial, cost = c.Cost, predicted = c.Predicted, actual = c.Actual }),
            }, options));
            return 0;
        }
        var console = CliConsole.Create();
        var law = prediction.Metric.Law;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Scale-up of '{studyName}': {prediction.Factor:G4}x the dearest Pareto point (cost {prediction.BaseCost:G4}) = cost {prediction.TargetCost:G4}")));
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{record.Spec.Metric}: {prediction.Metric.Predicted:G5}  90% interval [{prediction.Metric.Lower:G5}, {prediction.Metric.Upper:G5}]  (law {law.Floor:G4} {(law.Sign > 0 ? "+" : "−")} {law.Amplitude:G4}·C^−{law.Exponent:G3}, {prediction.BootstrapSamples} bootstrap fits)")));
        var table = new Table();
        foreach (var c in new[] { "parameter", "recommended", "90% interval", "law (basic units)" }) table.AddColumn(c);
        foreach (var p in prediction.Parameters)
        {
            table.AddRow(Markup.Escape(p.Name), Markup.Escape(Format(p.Predicted, p.IsInteger) + (p.IsOutsideBounds ? " (outside bounds)" : "")),
                Markup.Escape($"[{Format(p.Lower, p.IsInteger)}, {Format(p.Upper, p.IsInteger)}]"),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.Intercept:G4} + {p.Slope:G4}·ln C")));
        }
        console.Write(table);
        foreach (var warning in prediction.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
        foreach (var c in checks)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"predicted vs actual: trial {c.Trial} at cost {c.Cost:G4}: predicted {c.Predicted:G5}, actual {c.Actual:G5} ({(c.Actual - c.Predicted) / c.Predicted:+0.0%;-0.0%})")));
        }
        return 0;
    }

    private static string Format(double value, bool isInteger) =>
        isInteger ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
}
