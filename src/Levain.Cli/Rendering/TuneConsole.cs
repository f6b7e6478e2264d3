using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Runner.Definition;
using Levain.Runner.StudyFiles;
using Levain.Runner.Tune;
using Levain.Studies;
using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>
/// Runs a tune session for <c>levain tune</c> and <c>levain worker</c>: the first Ctrl-C stops gracefully (running
/// trials finish), SIGTERM stops promptly (running trials get SIGTERM and a grace period and are given back to be run
/// again), and a second signal of either kind kills running trials. Renders each event as one status line, or as JSON
/// lines with --json. Exit codes: the CLI's table (<see cref="Contract.ExitCodes"/>; bad input, a bad study file included, is 64).
/// </summary>
internal static class TuneConsole
{
    public static int Run(StudyDefinition study, bool json, bool verbose, TuneSessionOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var terminate = new CancellationTokenSource();
        using var kill = new CancellationTokenSource();
        var console = CliConsole.Create();
        var gate = new object();
        var presses = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref presses) == 1)
            {
                if (context.Signal == PosixSignal.SIGTERM)
                {
                    lock (gate) CliConsole.Error.WriteLine($"{CliConsole.Prefix}: SIGTERM — stopping running trials (SIGTERM, then SIGKILL after 5 s) and giving them back to be run again");
                    terminate.Cancel();
                }
                else
                {
                    lock (gate) CliConsole.Error.WriteLine($"{CliConsole.Prefix}: stopping — running trials will finish; press Ctrl-C again to kill them");
                    stop.Cancel();
                }
            }
            else
            {
                lock (gate) CliConsole.Error.WriteLine($"{CliConsole.Prefix}: killing running trials");
                kill.Cancel();
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        // On a terminal a bar counts finished trials against the budget (best so far, running, ETA beside it) and the
        // event lines scroll above it; elsewhere the event lines alone, each with the same status in brackets.
        using var bar = json ? null : WorkProgress.Start("trials", study.Budget.Trials ?? 0, isOwnEta: true);
        if (bar?.LiveConsole is { } live) console = live;
        var lastProgressShown = new Dictionary<int, long>();
        var progress = new SyncProgress<TuneProgress>(e =>
        {
            lock (gate)
            {
                if (json)
                {
                    CliConsole.Out.WriteLine(EventJson(e).ToJsonString());
                    return;
                }
                if (e.Kind == TuneEventKind.TunerLog && !verbose) return;
                if (e.Kind == TuneEventKind.TrialProgress && e.TrialNumber is int n && !verbose)
                {
                    // Every progress line is stored; on screen, at most one per trial per two seconds.
                    var now = Environment.TickCount64;
                    if (lastProgressShown.TryGetValue(n, out var shown) && now - shown < 2000) return;
                    lastProgressShown[n] = now;
                }
                console.MarkupLine(StatusMarkup(study, e));
                bar?.Report(e.Status.Done, BarDetail(e.Status), null);
            }
        });
        TuneSummary summary;
        try
        {
            // Synchronous on purpose: the action owns Ctrl-C handling (System.CommandLine's would end the process
            // two seconds after the first press, before running trials could finish).
            summary = TuneSession.RunAsync(study, progress, stop.Token, kill.Token, options, terminate.Token).GetAwaiter().GetResult();
        }
        catch (StudyStoreException e)
        {
            return CliConsole.Fail($"storage {study.Storage}: {e.Message}", 1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CliConsole.Fail($"unexpected error: {e.Message} (details in {ErrorLog.Write(study.LogDirectory, e)})", 1);
        }
        finally
        {
            lock (gate) bar?.Dispose();
        }
        if (summary.IsInputError)
        {
            var where = study.SourcePath ?? study.Name;
            return CliConsole.BadInput($"{where}: {summary.Message}");
        }
        lock (gate)
        {
            if (json) CliConsole.Out.WriteLine(SummaryJson(study, summary).ToJsonString());
            else RenderSummary(console, study, summary);
        }
        if (summary.Outcome is TuneOutcome.Killed or TuneOutcome.StoreUnreachable) return 1;
        if (summary.IsEveryTrialFailed)
        {
            return CliConsole.Fail($"every trial failed ({summary.Trials.Count(t => t.State == Levain.Studies.Trials.TrialState.Failed && !t.IsImported)}); " +
                $"their reasons are in 'levain study show' and their logs in {study.LogDirectory}", 1);
        }
        return 0;
    }

    /// <summary>Parses a study file for tune/worker; prints the one-line error and returns null when it is malformed.</summary>
    public static StudyDefinition? Load(string path, out int exitCode)
    {
        try
        {
            exitCode = 0;
            return StudyFileParser.Load(path);
        }
        catch (StudyFileException e)
        {
            exitCode = CliConsole.BadInput(e.Message);
            return null;
        }
    }

    /// <summary>Beside the bar: best so far, trials running, failures and the time left.</summary>
    private static string BarDetail(TuneStatus s)
    {
        var best = s.BestOutput is double b ? $"best {Num(b)} (#{s.BestTrial})" : "best -";
        var eta = s.Eta is TimeSpan t ? $" · ETA {DurationText.Format(t)}" : "";
        var failed = s.Failed > 0 ? $" · {s.Failed} failed" : "";
        return $"{s.Done}{(s.TrialBudget is int n ? $"/{n}" : "")} done · {best} · {s.Running} running{failed}{eta}";
    }

    private static string StatusMarkup(StudyDefinition study, TuneProgress e)
    {
        var s = e.Status;
        var budget = s.TrialBudget is int n ? $"/{n}" : "";
        var best = s.BestOutput is double b ? $"best {Num(b)} (#{s.BestTrial})" : "best -";
        var eta = s.Eta is TimeSpan t ? $" · ETA {DurationText.Format(t)}" : "";
        var status = $"done {s.Done}{budget} · running {s.Running} · failed {s.Failed} · {best} · {study.Cost} {Num(s.CostSpent)} · {DurationText.Format(s.Elapsed)}{eta}";
        var color = e.Kind switch
        {
            TuneEventKind.TrialSucceeded => "green",
            TuneEventKind.TrialEarlyStopped => "cyan",
            TuneEventKind.TrialFailed or TuneEventKind.LeaseLost => "red",
            TuneEventKind.TrialRequeued or TuneEventKind.TrialAbandoned => "yellow",
            TuneEventKind.TrialProgress or TuneEventKind.TunerLog => "grey",
            _ => "default",
        };
        return $"[grey][[{Markup.Escape(status)}]][/] [{color}]{Markup.Escape(e.Message)}[/]";
    }

    private static void RenderSummary(IAnsiConsole console, StudyDefinition study, TuneSummary summary)
    {
        var s = summary.Status;
        console.MarkupLine($"[bold]{Markup.Escape(summary.Message)}[/]: {s.Succeeded} succeeded, {s.Failed} failed, {s.Abandoned} abandoned, {study.Cost} spent {Num(s.CostSpent)}.");
        if (summary.BestRun() is var (best, runParameters, note))
        {
            var parameters = string.Join(" ", runParameters.Select(p => $"{p.Key}={p.Value}"));
            var stopped = note.Length > 0 ? $", {note}" : "";
            console.MarkupLine($"best {Markup.Escape(study.Metric)} {Num(best.Output ?? double.NaN)} at {Markup.Escape(study.Cost)} {Num(best.Cost ?? double.NaN)} (trial {best.Number}{Markup.Escape(stopped)}): {Markup.Escape(parameters)}");
        }
        var file = study.SourcePath ?? study.Storage;
        console.MarkupLine($"report: [bold]levain study show {Markup.Escape(file)}[/] · plots: [bold]levain study plot {Markup.Escape(file)}[/] · logs: {Markup.Escape(study.LogDirectory)}");
    }

    private static JsonObject EventJson(TuneProgress e) => new()
    {
        ["event"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString()),
        ["message"] = e.Message,
        ["trial"] = e.TrialNumber,
        ["progress"] = e.ProgressJson is null ? null : JsonNode.Parse(e.ProgressJson),
        ["status"] = StatusJson(e.Status),
    };

    private static JsonObject SummaryJson(StudyDefinition study, TuneSummary summary) => new()
    {
        ["event"] = "summary",
        ["outcome"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(summary.Outcome.ToString()),
        ["message"] = summary.Message,
        ["study"] = study.Name,
        ["storage"] = study.Storage,
        ["status"] = StatusJson(summary.Status),
    };

    private static JsonObject StatusJson(TuneStatus s) => new()
    {
        ["succeeded"] = s.Succeeded,
        ["failed"] = s.Failed,
        ["running"] = s.Running,
        ["suggested"] = s.Suggested,
        ["abandoned"] = s.Abandoned,
        ["trial_budget"] = s.TrialBudget,
        ["best_output"] = s.BestOutput is double b && double.IsFinite(b) ? b : null,
        ["best_trial"] = s.BestTrial,
        ["cost_spent"] = s.CostSpent,
        ["elapsed_seconds"] = Math.Round(s.Elapsed.TotalSeconds, 3),
        ["eta_seconds"] = s.Eta is TimeSpan t ? Math.Round(t.TotalSeconds, 1) : null,
    };

    internal static string Num(double value) => NumberText.Format(value);
}
