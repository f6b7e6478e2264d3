using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Cli.Demo;
using Levain.Cli.Plots;
using Levain.Cli.Rendering;
using Levain.Lm.Evaluation;
using Levain.Lm.Scoring;
using Levain.Runner.Reports;
using Levain.Runner.Tune;
using Levain.Studies;
using Spectre.Console;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain demo</c>: the whole Levain loop on one machine with no downloads — CARBS tunes tiny GPTs trained on
/// generated code, each scored on held-out generated questions; then the Pareto table, scaling laws, plots and a
/// final evaluation of the best model on held-out items no trial was selected on.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short version (about 2 minutes, 10 trials) instead of the full one (about 10 minutes, 30+ trials)." };
        var directory = new Option<string>("--out") { Description = "Where the study, checkpoints, logs and plots go: a new or empty directory, or one an earlier demo made " +
            "(it holds a .levain-demo marker). A fresh run there deletes only what the demo wrote; any other non-empty directory is refused.", DefaultValueFactory = _ => Path.Combine("levain-runs", "demo") };
        var workers = new Option<int>("--workers") { Description = "Trials run at once (each gets cores / workers torch threads).", DefaultValueFactory = _ => 2 };
        var resume = new Option<bool>("--resume") { Description = "Continue the study in --out instead of starting over." };
        var json = new Option<bool>("--json") { Description = "Print JSON events while tuning and a JSON summary at the end." };
        var threads = new Option<int>("--threads") { Description = "With --sft: torch threads (default 1, which stays fast on a busy machine).", DefaultValueFactory = _ => 1 };
        var sft = new Option<bool>("--sft") { Description = "Instead: instruction tuning — pretrain a small base on code, fine-tune it on generated instructions, and show held-out accuracy before vs after (a few minutes; see docs/finetune.md)." };
        var command = new Command("demo",
            "Run the whole loop on this machine: tune a small GPT (learning rate, width, depth, steps) on generated code-comprehension data " +
            "with CARBS, then show the Pareto front, the fitted scaling laws, PNG plots and the best model's held-out accuracy against chance. " +
            "The study is also written as a study file (demo.yaml in --out): 'levain study scale-up DIR/demo.yaml --factor 10 --launch' runs the 10x recommendation. " +
            "Ctrl-C stops gracefully (a second Ctrl-C kills running trials).\n\n" + ExitCodes.Help + " (64 also for an --out that is not empty and not a demo directory)")
        {
            quick, directory, workers, resume, json, sft, threads,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(workers);
            if (n < 1) return CliConsole.BadInput("--workers must be at least 1");
            var dir = parse.GetValue(directory)!;
            if (parse.GetValue(sft))
            {
                return SftDemo.Run(parse.GetResult(directory) is { Implicit: false } ? dir : Path.Combine("levain-runs", "demo-sft"), Math.Max(1, parse.GetValue(threads)), parse.GetValue(json));
            }
            var plan = parse.GetValue(quick) ? DemoPlan.Quick(dir, n) : DemoPlan.Full(dir, n);
            return Run(plan, parse.GetValue(resume), parse.GetValue(json));
        });
        return command;
    }

    private static int Run(DemoPlan plan, bool resume, bool json)
    {
        var console = CliConsole.Create();
        var study = DemoStudy.Build(plan);
        try
        {
            if (DemoDirectory.Prepare(study.BaseDirectory, startOver: !resume) is { } refusal) return CliConsole.BadInput(refusal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliConsole.BadInput($"--out {study.BaseDirectory}: {e.Message}");
        }
        var studyFile = DemoStudy.WriteStudyFile(study);
        if (!json)
        {
            console.MarkupLine($"[bold]levain demo[/]: up to {plan.Trials} trials within {plan.Wall.TotalMinutes:0.#} min, {plan.Workers} at a time " +
                $"({plan.ThreadsPerTrial} thread(s) each), tuning lr, width, depth and steps of a small GPT on '{DemoStudy.Difficulty}' code questions.");
            console.MarkupLine($"Metric: held-out nll_correct (lower is better); cost: training FLOPs (cap {plan.MaxTrialFlops:0.#e+0} per trial). Study: {Markup.Escape(study.BaseDirectory)}");
        }
        var tuned = TuneConsole.Run(study, json, verbose: false, new TuneSessionOptions());
        if (tuned != 0) return tuned;

        var store = StudyStorage.Open(study.Storage, study.BaseDirectory);
        StudyReport? report;
        try
        {
            report = StudyReportBuilder.BuildAsync(store, study.Name).GetAwaiter().GetResult();
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (report is null) return CliConsole.Fail($"study '{study.Name}' not found in {study.Storage}", 1);
        var plots = StudyPlots.WriteAll(report, Path.Combine(study.BaseDirectory, "plots"));
        var final = EvaluateBest(plan, report);
        var evalTask = DemoStudy.WriteEvalTask(plan, study.BaseDirectory);

        if (json)
        {
            var summary = StudyReportRenderer.ToJson(report);
            summary["plots"] = new JsonArray([.. plots.Select(p => (JsonNode)p)]);
            summary["final_evaluation"] = final?.ToJson();
            summary["final_eval_task"] = evalTask;
            summary["study_file"] = studyFile;
            CliConsole.Out.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return final is null ? 1 : 0;
        }
        console.WriteLine();
        StudyReportRenderer.Render(console, report);
        console.WriteLine();
        foreach (var plot in plots) console.MarkupLine($"plot: {Markup.Escape(plot)}");
        console.MarkupLine($"study file: {Markup.Escape(studyFile)} (levain study scale-up {Markup.Escape(studyFile)} --factor 10 --launch runs the recommended 10x trial)");
        if (final is null)
        {
            return CliConsole.Fail("no trial succeeded with a checkpoint, so there is no best model to evaluate; see the logs in " + study.LogDirectory, 1);
        }
        final.Render(console, evalTask);
        return 0;
    }

    private static FinalEvaluation? EvaluateBest(DemoPlan plan, StudyReport report)
    {
        if (report.Best?.ResultJson is not { } resultJson) return null;
        if (JsonNode.Parse(resultJson)?["checkpoint"]?.GetValue<string>() is not { } checkpoint || !Directory.Exists(checkpoint)) return null;
        var items = DemoStudy.GenerateFinalItems(plan);
        using var scorer = CheckpointScorer.Load(checkpoint, threads: Math.Max(1, Environment.ProcessorCount));
        var score = CodeComprehensionEvaluation.ScoreAsync(scorer, items).GetAwaiter().GetResult();
        return new FinalEvaluation(report.Best.Number, checkpoint, score);
    }
}
