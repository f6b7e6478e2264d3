using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Cli.Plots;
using Levain.Cli.Rendering;
using Levain.Runner.Reports;
using Levain.Runner.StudyFiles;
using Levain.Studies;
using Spectre.Console;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain study list | show | export | plot</c>: look at stored studies.</summary>
public static class StudyCommands
{
    private const string TargetHelp = "A study file (YAML), or a storage location (sqlite:path.db, postgres://user@host:5432/db).";
    private const string ExitCodes = "\n\n" + Contract.ExitCodes.Help + " (1: the storage failed; 64 also for no such study)";

    public static Command Create()
    {
        var study = new Command("study", "Inspect stored studies: list them, show the Pareto front and scaling laws, export trials, plot." + ExitCodes);
        study.Subcommands.Add(List());
        study.Subcommands.Add(Show());
        study.Subcommands.Add(Export());
        study.Subcommands.Add(Plot());
        study.Subcommands.Add(ScaleUp());
        return study;
    }

    private static Command List()
    {
        var target = new Argument<string>("target") { Description = TargetHelp };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("list", "List the studies in a storage with their trial counts and best result." + ExitCodes) { target, json };
        command.SetAction(async (parse, ct) => await WithStoreAsync(parse.GetValue(target)!, null, needStudy: false, async (store, _, _) =>
        {
            var studies = await store.ListStudiesAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(JsonSerializer.Serialize(studies, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return 0;
            }
            var table = new Table();
            foreach (var c in new[] { "study", "created", "succeeded", "failed", "running", "abandoned", "best" }) table.AddColumn(c);
            foreach (var s in studies)
            {
                // Early-stopped trials succeeded (their result is an observation) but did not run to their end: said apart.
                var succeeded = s.EarlyStopped > 0 ? $"{Count(s.Succeeded)} ({s.EarlyStopped} stopped early)" : Count(s.Succeeded);
                table.AddRow(Markup.Escape(s.Name), s.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), succeeded, Count(s.Failed),
                    Count(s.Running), Count(s.Abandoned), StudyReportRenderer.Num(s.BestOutput));
            }
            CliConsole.Create().Write(table);
            return 0;
        }, ct).ConfigureAwait(false));
        return command;
    }

    private static Command Show()
    {
        var target = new Argument<string>("target") { Description = TargetHelp };
        var name = new Option<string?>("--name") { Description = "The study to show (default: the study file's, or the only one in the storage)." };
        var targetCost = new Option<double?>("--target-cost") { Description = "Extrapolate scaling laws to this cost (default: 10× the most expensive Pareto point)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("show", "Show a study: the Pareto table (cost, metric, parameters), the best result at each cost, and scaling-law fits with 90% intervals." + ExitCodes)
        {
            target, name, targetCost, json,
        };
        command.SetAction(async (parse, ct) => await WithStoreAsync(parse.GetValue(target)!, parse.GetValue(name), needStudy: true, async (store, studyName, _) =>
        {
            if (parse.GetValue(targetCost) is double t && (!double.IsFinite(t) || t <= 0)) return CliConsole.BadInput("--target-cost must be a positive number");
            var report = await StudyReportBuilder.BuildAsync(store, studyName!, parse.GetValue(targetCost), ct).ConfigureAwait(false);
            if (report is null) return CliConsole.BadInput($"no study named '{studyName}'");
            if (parse.GetValue(json)) CliConsole.Out.WriteLine(StudyReportRenderer.ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else StudyReportRenderer.Render(CliConsole.Create(), report);
            return 0;
        }, ct).ConfigureAwait(false));
        return command;
    }

    private static Command ScaleUp()
    {
        var target = new Argument<string>("target") { Description = TargetHelp + " --launch needs the study file." };
        var name = new Option<string?>("--name") { Description = "The study (default: the study file's, or the only one in the storage)." };
        var factor = new Option<double>("--factor") { Description = "Target cost as a multiple of the most expensive Pareto point (default 10; beyond 10 a warning).", DefaultValueFactory = _ => 10.0 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap refits over trials for the intervals (default 200).", DefaultValueFactory = _ => 200 };
        var launch = new Option<bool>("--launch")
        {
            Description = "Run the recommendation now as a trial of the study (the study file's command and launcher; outside the study's budgets, never stopped early), " +
                "stored with its prediction; then print predicted vs actual. Later 'scale-up' and 'study show' print it again.",
        };
        var force = new Option<bool>("--force")
        {
            Description = "With --launch: launch even a value that lies further beyond its search bounds than they are wide (without it such a launch is refused, exit 1).",
        };
        var json = new Option<bool>("--json") { Description = "Print the prediction as JSON (with --launch: one JSON object per event, the prediction and its check last)." };
        var trialTimeout = new Option<string?>("--trial-timeout")
        {
            Description = "With --launch: how long the trial may run, a duration (30s, 10m, 2h, 1h30m) or 'none'. Default: the study's timeout times the " +
                "recommendation's predicted cost over the dearest Pareto point's (about --factor; a 10x trial runs about 10x as long), none when the study has none. " +
                "A Slurm launcher's time limit is scaled the same way (or raised to a given duration).",
        };
        var command = new Command("scale-up", "Recommend settings at a larger cost from the study's scaling laws: the metric (saturating law E + A·C^−α through the front the surrogate models predict, " +
            "or through the Pareto points with too few trials) with a 90% bootstrap interval; what the surrogate's output model expects of one run at exactly the recommended settings (a warning when no better than at the best trial, naming the largest smaller factor it expects to beat the best trial); " +
            "and each parameter with its interval (integers rounded) from the front the surrogate models predict (method 'surrogate') or, where they cannot trace one or their interval is far wider than the box, " +
            "a line through the Pareto points ('front-line'), read where the settings together are predicted to cost the target (cost fitted on the trials: ln cost linear in the parameters, or a sum of terms such as width²·depth·steps where that predicts left-out trials far better); then predicted-vs-actual for the scale-up trials launched earlier." + ExitCodes + " (1 also: fewer than 3 Pareto points, the launched trial failed, or --launch refused a value far outside the search bounds)")
        {
            target, name, factor, bootstrap, launch, force, json, trialTimeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            // Usage errors first, before the storage is opened.
            var f = parse.GetValue(factor);
            if (!double.IsFinite(f) || f <= 0) return CliConsole.BadInput("--factor must be a positive number");
            var b = parse.GetValue(bootstrap);
            if (b is < 10 or > 10_000) return CliConsole.BadInput("--bootstrap must be between 10 and 10000");
            TimeSpan? timeoutOverride = null;
            if (parse.GetValue(trialTimeout) is { } t)
            {
                if (t.Trim() == "none") timeoutOverride = Timeout.InfiniteTimeSpan;
                else if (DurationText.TryParse(t, out var d) && d > TimeSpan.Zero) timeoutOverride = d;
                else return CliConsole.BadInput($"--trial-timeout: expected a duration such as 30s, 10m, 2h, 1h30m or 'none', got '{t}'");
            }
            return await WithStoreAsync(parse.GetValue(target)!, parse.GetValue(name), needStudy: true, (store, studyName, resolved) =>
                ScaleUpCommand.RunAsync(store, studyName!, resolved, f, b, parse.GetValue(launch), parse.GetValue(force), parse.GetValue(json), timeoutOverride, ct), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Export()
    {
        var target = new Argument<string>("target") { Description = TargetHelp };
        var name = new Option<string?>("--name") { Description = "The study to export (default: the study file's, or the only one in the storage)." };
        var format = new Option<string>("--format") { Description = "csv or json.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file instead of stdout." };
        var exportJson = new Option<bool>("--json") { Description = "Same as --format json." };
        var command = new Command("export", "Export every trial (state, metric, cost, parameters, result, failure reason) as CSV or JSON." + ExitCodes)
        {
            target, name, format, output, exportJson,
        };
        command.SetAction(async (parse, ct) => await WithStoreAsync(parse.GetValue(target)!, parse.GetValue(name), needStudy: true, async (store, studyName, _) =>
        {
            var record = await store.FindStudyAsync(studyName!, ct).ConfigureAwait(false);
            if (record is null) return CliConsole.BadInput($"no study named '{studyName}'");
            var trials = await store.GetTrialsAsync(studyName!, ct).ConfigureAwait(false);
            var text = parse.GetValue(format) == "json" || parse.GetValue(exportJson) ? StudyExport.ToJson(record, trials) + "\n" : StudyExport.ToCsv(record, trials);
            if (parse.GetValue(output) is { } path)
            {
                try
                {
                    await File.WriteAllTextAsync(path, text, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CliConsole.BadInput($"--out {path}: cannot write: {e.Message}");
                }
                CliConsole.Error.WriteLine($"wrote {trials.Count} trials to {path}");
            }
            else
            {
                CliConsole.Out.Write(text);
            }
            return 0;
        }, ct).ConfigureAwait(false));
        return command;
    }

    private static Command Plot()
    {
        var target = new Argument<string>("target") { Description = TargetHelp };
        var name = new Option<string?>("--name") { Description = "The study to plot (default: the study file's, or the only one in the storage)." };
        var output = new Option<string?>("--out", "-o") { Description = "Directory for the plot files (default: <logs>/plots for a study file, ./levain-plots/<study> otherwise)." };
        var targetCost = new Option<double?>("--target-cost") { Description = "Extrapolate the fitted laws to this cost." };
        var json = new Option<bool>("--json") { Description = "Print the written file paths as JSON." };
        var format = new Option<string>("--format") { Description = "png or svg.", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "svg");
        var command = new Command("plot", "Write PNG (or SVG) plots: the Pareto front over all observations with the metric's saturating law, each parameter against cost along the front with its law, " +
            "each law with its 90% bootstrap band extended to the target cost (the extrapolated part dashed), and best-so-far against cumulative cost." + ExitCodes)
        {
            target, name, output, targetCost, format, json,
        };
        command.SetAction(async (parse, ct) => await WithStoreAsync(parse.GetValue(target)!, parse.GetValue(name), needStudy: true, async (store, studyName, resolved) =>
        {
            var report = await StudyReportBuilder.BuildAsync(store, studyName!, parse.GetValue(targetCost), ct).ConfigureAwait(false);
            if (report is null) return CliConsole.BadInput($"no study named '{studyName}'");
            var directory = parse.GetValue(output)
                ?? (resolved.Definition is { } d && d.Name == studyName ? Path.Combine(d.LogDirectory, "plots") : Path.Combine("levain-plots", studyName!));
            if (File.Exists(directory)) return CliConsole.BadInput($"--out {directory}: is a file; give a directory for the plots");
            IReadOnlyList<string> files;
            try
            {
                files = StudyPlots.WriteAll(report, directory, parse.GetValue(format)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CliConsole.BadInput($"--out {directory}: cannot write plots: {e.Message}");
            }
            if (parse.GetValue(json)) CliConsole.Out.WriteLine(new JsonArray(files.Select(f => (JsonNode)Path.GetFullPath(f)).ToArray()).ToJsonString());
            else if (files.Count == 0) CliConsole.Out.WriteLine("nothing to plot yet: no trial has succeeded");
            else foreach (var f in files) CliConsole.Out.WriteLine($"wrote {f}");
            return 0;
        }, ct).ConfigureAwait(false));
        return command;
    }

    /// <summary>Resolves the target, opens its store, picks the study; bad input → exit 64, storage errors → exit 1.</summary>
    private static async Task<int> WithStoreAsync(string argument, string? name, bool needStudy, Func<IStudyStore, string?, StudyTarget, Task<int>> body, CancellationToken ct)
    {
        StudyTarget target;
        try
        {
            target = StudyTarget.Resolve(argument, name);
        }
        catch (StudyFileException e)
        {
            return CliConsole.BadInput(e.Message);
        }
        catch (FormatException e)
        {
            return CliConsole.BadInput($"{argument}: {e.Message}");
        }
        if (target.MissingStorage() is { } missing) return CliConsole.BadInput(missing);
        try
        {
            await using var store = target.Open();
            string? studyName = null;
            if (needStudy)
            {
                var (picked, error) = await target.PickStudyAsync(store, ct).ConfigureAwait(false);
                if (picked is null) return CliConsole.BadInput(error!);
                studyName = picked;
            }
            return await body(store, studyName, target).ConfigureAwait(false);
        }
        catch (StudyStoreException e)
        {
            return CliConsole.Fail($"storage {target.Storage}: {e.Message}", 1);
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
