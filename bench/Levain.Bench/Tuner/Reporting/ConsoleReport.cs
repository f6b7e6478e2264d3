using System.Globalization;
using System.Text;

namespace Levain.Bench.Tuner.Reporting;

/// <summary>Renders a <see cref="TunerBenchReport"/> as the console tables of <c>levain bench tuner</c>.</summary>
public static class ConsoleReport
{
    private static string Percent(double? saved) => saved is double s ? Invariant($"{s * 100:F0} %") : "not reached";

    public static string Render(TunerBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Tuner benchmark ({report.Mode}): {report.Seeds.Count} seeds per problem and method; simple regret (noise-free value, at its own fidelity, of the evaluated point each method answers with − optimum; Levain: best predicted, others: best observed) at cumulative-cost budgets, median [IQR]"));
        text.AppendLine();
        foreach (var problem in report.Problems)
        {
            text.AppendLine(Invariant($"{problem.Problem}: {problem.Description}; optimum {problem.Optimum:G6}; total budget {problem.TotalBudget:G4}"));
            text.AppendLine("(best-point cost: median cost of the point each method would answer with at 100 %; on the fidelity problems it shows the fidelity)");
            var headers = new List<string> { "method", "evals (median)" };
            headers.AddRange(report.BudgetFractions.Select(f => Invariant($"{f * 100:G3} % = {f * problem.TotalBudget:G4}")));
            headers.Add("best-point cost");
            headers.Add("method s");
            var table = new TextTable([.. headers]);
            foreach (var method in problem.Methods)
            {
                var cells = new List<string> { method.Method, method.Evaluations.Count == 0 ? "-" : Invariant($"{Median(method.Evaluations):G4}") };
                cells.AddRange(method.Budgets.Select(b => Invariant($"{Format(b.Median)} [{Format(b.Q1)}, {Format(b.Q3)}]")));
                cells.Add(method.Budgets.Count == 0 ? "-" : Format(method.Budgets[^1].MedianBestPointCost));
                cells.Add(Invariant($"{method.MethodSeconds:F1}"));
                table.AddRow([.. cells]);
            }
            text.Append(table);
            foreach (var method in problem.Methods.Where(m => TunerBenchmark.EarlyStoppingNames.Contains(m.Method)))
            {
                var runs = method.Evaluations.Sum();
                static string Reach(double? f, double reference) => f is double x
                    ? Invariant($"at {x * 100:G3} % of the budget (cost saved at equal regret: {(reference - x) / reference * 100:G3} %)")
                    : "nowhere within the budget";
                text.AppendLine(Invariant($"  {method.Method}: {method.EarlyStopped} of {runs} runs stopped early; its median regret reaches plain levain's at 50 % ") +
                    Reach(method.FractionForLevainHalfBudgetRegret, 0.5) + "; plain levain's at 100 % " + Reach(method.FractionForLevainRegret, 1.0));
                foreach (var saving in method.PairedSavings)
                {
                    text.AppendLine(Invariant($"  {method.Method}: cost saved at plain levain's {saving.ReferenceFraction * 100:G3} % regret, paired by seed (median over {saving.Seeds.Count} seeds [95 % bootstrap interval]): ") +
                        (saving.MedianSaved is double m ? Invariant($"{m * 100:F0} % [{Percent(saving.SavedLow)}, {Percent(saving.SavedHigh)}]") : "not reached within the budget on most seeds"));
                }
            }
            var overruns = problem.Methods.Where(m => m.Overrun is not null).ToArray();
            if (overruns.Length > 0)
            {
                text.AppendLine("  budget overrun (max over seeds of spent − budget, against that study's cheapest trial; levain and levain-es are told the budget left, the other methods finish the trial that crosses it):");
                foreach (var method in overruns)
                {
                    var o = method.Overrun!;
                    text.AppendLine(Invariant($"    {method.Method,-9} max {o.MaxOverrun:G4} (seed {o.MaxOverrunSeed}, cheapest trial {Format(o.MaxOverrunCheapestTrialCost)}): ") +
                        (o.IsWithinOneCheapestTrial ? "no study beyond its budget by more than one cheapest trial" : Invariant($"{o.SeedsBeyondOneCheapestTrial} of {o.Overruns.Count} studies beyond their budget by more than one cheapest trial")));
                }
            }
            foreach (var method in problem.Methods.Where(m => m.Errors.Count > 0))
            {
                text.AppendLine(Invariant($"  {method.Method}: {method.Errors.Count} problem run(s): {method.Errors[0]}"));
            }
            text.AppendLine();
        }

        if (report.LevainVersusRandom.Count > 0)
        {
            var losses = report.LevainVersusRandom.Where(c => !c.IsLevainBelow).ToArray();
            text.AppendLine(losses.Length == 0
                ? "Levain's median regret is below random search's at every budget on every problem."
                : "Levain's median regret is NOT below random search's at: " + string.Join("; ", losses.Select(c =>
                    Invariant($"{c.Problem} {c.Fraction * 100:G3} % (levain {Format(c.LevainMedian)} vs random {Format(c.RandomMedian)})"))));
            text.AppendLine();
        }

        if (report.LevainVersusTpe.Count > 0)
        {
            text.Append(RenderTpeComparison(report.LevainVersusTpe, report.BudgetFractions));
            text.AppendLine();
        }

        if (report.SuggestLatency.Count > 0)
        {
            text.AppendLine("Levain suggest latency (10-D synthetic observations; median of the calls after the first, each after one more observation;");
            text.AppendLine("incremental = the default, cached Cholesky factors extended and hyperparameters refitted on a schedule; full refit =");
            text.AppendLine("every model refitted and refactorised at every suggestion, the implementation before; 2nd half = the default three");
            text.AppendLine("quarters through a budget, answer refinement active; same run, calls alternating):");
            var latency = new TextTable("observations", "incremental ms", "full refit ms", "2nd half ms", "speed-up", "first call ms", "calls");
            foreach (var point in report.SuggestLatency)
            {
                latency.AddRow(Invariant($"{point.Observations}"), Invariant($"{point.MedianSeconds * 1000:F1}"),
                    point.FullRefit is { } full ? Invariant($"{full.MedianSeconds * 1000:F1}") : "-",
                    point.SecondHalf is { } late ? Invariant($"{late.MedianSeconds * 1000:F1}") : "-",
                    point.SpeedUp is { } ratio ? Invariant($"{ratio:F1}x") : "-",
                    Invariant($"{point.ColdSeconds * 1000:F1}"), Invariant($"{point.WarmSeconds.Count}"));
            }
            text.Append(latency);
            text.AppendLine();
        }

        text.AppendLine("Methods:");
        foreach (var method in report.Methods)
        {
            text.AppendLine(Invariant($"  {method.Name,-7} {method.Description}"));
        }
        text.AppendLine(Invariant($"Machine: {report.Machine}"));
        text.AppendLine(Invariant($"Wall time: {report.WallSeconds:F0} s"));
        return text.ToString();
    }

    /// <summary>
    /// One row per problem, one column per budget: Levain's median regret over TPE's with its 95 % paired bootstrap
    /// interval, each cell above the bar marked; then the count of cells that meet it.
    /// </summary>
    public static string RenderTpeComparison(IReadOnlyList<TpeComparison> comparisons, IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(fractions);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Levain's median regret over TPE's, paired by seed [95 % bootstrap interval over the seeds]; the bar is {TpeComparison.Bar:G2}x, cells above it marked *:"));
        var table = new TextTable([.. new[] { "problem" }.Concat(fractions.Select(f => Invariant($"{f * 100:G3} %")))]);
        foreach (var problem in comparisons.GroupBy(c => c.Problem, StringComparer.Ordinal))
        {
            table.AddRow([.. new[] { problem.Key }.Concat(fractions.Select(f => problem.FirstOrDefault(c => c.Fraction == f) is { } c ? Cell(c) : "-"))]);
        }
        text.Append(table);
        var met = comparisons.Count(c => c.MeetsBar);
        text.AppendLine(Invariant($"{met} of {comparisons.Count} cells at or below {TpeComparison.Bar:G2}x TPE") + (met == comparisons.Count ? "." : "; above: " +
            string.Join("; ", comparisons.Where(c => !c.MeetsBar).Select(c => Invariant($"{c.Problem} {c.Fraction * 100:G3} % ({Format(c.LevainMedian)} vs {Format(c.TpeMedian)})"))) + "."));
        return text.ToString();

        static string Cell(TpeComparison c) => c.Ratio is not double r
            ? Invariant($"n/a ({Format(c.LevainMedian)} vs {Format(c.TpeMedian)})")
            : Invariant($"{r:F2}x") + (c.RatioLow is double low && c.RatioHigh is double high ? Invariant($" [{low:F2}, {high:F2}]") : "") + (c.MeetsBar ? "" : " *");
    }

    /// <summary>Regrets span many orders of magnitude: three significant digits; "inf" when nothing fit the budget.</summary>
    public static string Format(double? value) => value switch
    {
        null => "inf",
        0.0 => "0",
        { } v when Math.Abs(v) >= 1e-3 && Math.Abs(v) < 1e5 => v.ToString("G3", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.00E+0", CultureInfo.InvariantCulture),
    };

    private static double Median(IReadOnlyList<int> values) => Runs.Quantiles.Of([.. values.Select(v => (double)v)], 0.5);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
