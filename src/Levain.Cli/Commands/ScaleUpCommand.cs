using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Cli.Contract;
using Levain.Cli.Rendering;
using Levain.Runner.Definition;
using Levain.Runner.Reports;
using Levain.Runner.StudyFiles;
using Levain.Runner.Tune;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Studies.Tuning;
using Levain.Tuning;
using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;
using Spectre.Console;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain study scale-up STUDY --factor 10 [--launch]</c>: recommended settings at factor × the dearest Pareto
/// point's cost (each parameter from the surrogate's predicted front or a line through the Pareto points, the method
/// named), the predicted metric with its 90 % bootstrap interval, warnings, and predicted-vs-actual for the scale-up
/// trials launched earlier (their stored prediction) and for other trials already run beyond the front. With
/// <c>--launch</c> the recommendation runs as a trial of the study (the study file's command and launcher).
/// </summary>
internal static class ScaleUpCommand
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <param name="trialTimeout">With --launch: the launched trial's timeout (<see cref="Timeout.InfiniteTimeSpan"/>: none); null for <see cref="LaunchTimeout"/>.</param>
    public static async Task<int> RunAsync(IStudyStore store, string studyName, StudyTarget target, double factor, int bootstrap, bool launch, bool force, bool json,
        TimeSpan? trialTimeout, CancellationToken ct)
    {
        var record = await store.FindStudyAsync(studyName, ct).ConfigureAwait(false);
        if (record is null) return CliConsole.BadInput($"no study named '{studyName}'");
        if (launch && target.Definition is null)
        {
            return CliConsole.BadInput("--launch needs the study file (a storage location does not say which command runs a trial)");
        }
        if (launch && target.Definition!.Name != studyName)
        {
            return CliConsole.BadInput($"--launch: the study file {target.Definition.SourcePath} runs study '{target.Definition.Name}', not '{studyName}'");
        }
        var trials = await store.GetTrialsAsync(studyName, ct).ConfigureAwait(false);
        var observations = trials.Select(StudyTuner.ToObservation).OfType<Observation>().ToList();
        var space = new SearchSpace(record.Spec.Parameters);
        var prediction = ScaleUpPredictor.Predict(space, observations, record.Spec.Direction, factor, record.Spec.Tuner.MinParetoCostFraction, bootstrap,
            searchRadius: record.Spec.Tuner.SearchRadius, metricBound: record.Spec.MetricBound);
        if (prediction is null)
        {
            return CliConsole.Fail($"study '{studyName}': scale-up needs at least 3 Pareto points with positive cost", ExitCodes.Failure);
        }
        if (!launch)
        {
            var launched = await ScaleUpRecord.ReadAsync(store, studyName, trials, ct).ConfigureAwait(false);
            if (json) CliConsole.Out.WriteLine(ToJson(studyName, record.Spec.Metric, prediction, launched, null).ToJsonString(Snake));
            else Render(CliConsole.Create(), studyName, record.Spec.Metric, prediction, launched);
            return 0;
        }

        if (!force && prediction.Parameters.Where(p => p.IsFarOutsideBounds).ToList() is { Count: > 0 } far)
        {
            if (json) CliConsole.Out.WriteLine(ToJson(studyName, record.Spec.Metric, prediction, [], null).ToJsonString(Snake));
            else Render(CliConsole.Create(), studyName, record.Spec.Metric, prediction, []);
            return CliConsole.Fail($"not launched: {string.Join(", ", far.Select(p => $"{p.Name} = {p.Predicted:G4}"))} {(far.Count == 1 ? "lies" : "lie")} further beyond the search bounds than they are wide " +
                "(see the warnings); run the study over a wider range of costs or use a smaller --factor, or launch it anyway with --force", ExitCodes.Failure);
        }
        var waiting = trials.Count(t => t.State == TrialState.Suggested);
        if (waiting > 0)
        {
            return CliConsole.BadInput($"study '{studyName}' has {waiting} trial(s) waiting to be retried; finish them with 'levain tune' or 'levain worker' before launching a scale-up trial");
        }
        var suggestionId = ScaleUpRecord.NextSuggestionId(trials);
        var proposal = new TrialProposal(suggestionId, prediction.Settings(), SuggestionPhase.ScaleUp, null);
        if (!json) Render(CliConsole.Create(), studyName, record.Spec.Metric, prediction, []);
        var launchDefinition = LaunchDefinition(target.Definition!, prediction, trialTimeout);
        var timeout = launchDefinition.TrialTimeout;
        var timeoutText = timeout is { } limit
            ? DurationText.Format(limit) + (trialTimeout is null ? Text($" (the study's {DurationText.Format(target.Definition!.TrialTimeout!.Value)} × {LaunchTimeoutFactor(prediction):G3}, the recommendation's cost over the dearest Pareto point's)") : " (--trial-timeout)")
            : "none";
        if (launchDefinition.Launcher.Slurm?.TimeLimit is { } slurmTime && slurmTime != target.Definition!.Launcher.Slurm?.TimeLimit)
        {
            timeoutText += $"; Slurm time limit {slurmTime}";
        }
        if (!json) CliConsole.Create().MarkupLine($"[bold]launching the recommendation as a trial of '{Markup.Escape(studyName)}'[/] ({Markup.Escape(suggestionId)}; trial timeout {Markup.Escape(timeoutText)})");
        var exit = TuneConsole.Run(launchDefinition, json, verbose: false,
            new TuneSessionOptions { JoinExistingOnly = true, Workers = 1, FixedTrial = new FixedTrial(proposal, ScaleUpRecord.ToProgressJson(prediction), prediction.LaunchCost) });
        var after = await store.GetTrialsAsync(studyName, ct).ConfigureAwait(false);
        var records = await ScaleUpRecord.ReadAsync(store, studyName, after, ct).ConfigureAwait(false);
        var mine = after.FirstOrDefault(t => t.SuggestionId == suggestionId);
        if (mine is null)
        {
            return exit != 0 ? exit : CliConsole.Fail($"the scale-up trial was not started (another session may have launched {suggestionId} first)", ExitCodes.Failure);
        }
        var checks = records.Where(r => r.Trial == mine.Number).ToList();
        if (json)
        {
            var final = ToJson(studyName, record.Spec.Metric, prediction, checks, mine.Number);
            final["trial_timeout_seconds"] = timeout?.TotalSeconds;
            CliConsole.Out.WriteLine(final.ToJsonString());
        }
        else RenderChecks(CliConsole.Create(), checks);
        if (exit == 0 && mine.State != TrialState.Succeeded)
        {
            return CliConsole.Fail($"scale-up trial {mine.Number} {mine.State.ToString().ToLowerInvariant()}{(mine.FailureReason is { } why ? ": " + why : "")}", ExitCodes.Failure);
        }
        return exit;
    }

    /// <summary>
    /// The study as the launch runs it: the trial timeout <paramref name="trialTimeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>:
    /// none) or by default <see cref="LaunchTimeout"/>; and under Slurm, whose <c>launcher.slurm.time</c> limit, sized for
    /// the study's trials, would end a 10x job too, that limit times <see cref="LaunchTimeoutFactor"/>, or with a given
    /// --trial-timeout duration the larger of it and the study's limit (so Slurm does not end the job first).
    /// </summary>
    internal static StudyDefinition LaunchDefinition(StudyDefinition study, ScaleUpPrediction prediction, TimeSpan? trialTimeout)
    {
        var timeout = trialTimeout is { } given ? (given == Timeout.InfiniteTimeSpan ? null : given) : LaunchTimeout(study.TrialTimeout, prediction);
        var launched = study with { TrialTimeout = timeout };
        if (study.Launcher.Slurm is { TimeLimit: { } text } slurm && SlurmTimeLimit.TryParse(text, out var studyLimit))
        {
            var limit = timeout is { } set && trialTimeout is not null
                ? (set > studyLimit ? set : studyLimit)
                : TimeSpan.FromSeconds(studyLimit.TotalSeconds * LaunchTimeoutFactor(prediction));
            launched = launched with { Launcher = study.Launcher with { Slurm = slurm with { TimeLimit = SlurmTimeLimit.Format(limit) } } };
        }
        return launched;
    }

    /// <summary>
    /// The launched trial's default timeout: the study's trial timeout scaled by <see cref="LaunchTimeoutFactor"/>, since
    /// a trial k times as dear runs about k times as long (the study's own timeout, sized for its trials, killed the
    /// demo's 10x run after 3 minutes); null (none) when the study has none.
    /// </summary>
    internal static TimeSpan? LaunchTimeout(TimeSpan? studyTimeout, ScaleUpPrediction prediction) =>
        studyTimeout is { } t ? TimeSpan.FromSeconds(Math.Min(t.TotalSeconds * LaunchTimeoutFactor(prediction), TimeSpan.MaxValue.TotalSeconds / 2)) : null;

    /// <summary>The recommendation's predicted cost (the target when it has none) over the dearest Pareto point's, at least 1.</summary>
    internal static double LaunchTimeoutFactor(ScaleUpPrediction prediction) =>
        Math.Max(1.0, prediction.LaunchCost / prediction.BaseCost);

    private static JsonObject ToJson(string study, string metric, ScaleUpPrediction prediction, IReadOnlyList<ScaleUpRecord> launched, int? launchedTrial) => new()
    {
        ["study"] = study,
        ["metric_name"] = metric,
        ["prediction"] = JsonSerializer.SerializeToNode(prediction, Snake),
        ["launched_trial"] = launchedTrial,
        ["scale_up_trials"] = StudyReportJson.ScaleUpTrials(launched),
    };

    private static void Render(IAnsiConsole console, string studyName, string metric, ScaleUpPrediction prediction, IReadOnlyList<ScaleUpRecord> launched)
    {
        var m = prediction.Metric;
        static string Law(SaturatingLaw law) => $"{law.Floor:G4} {(law.Sign > 0 ? "+" : "−")} {law.Amplitude:G4}·C^−{law.Exponent:G3}{(law.FloorAtBound ? ", floor held at metric_bound" : "")}";
        console.MarkupLine(Markup.Escape(Text(
            $"Scale-up of '{studyName}': {prediction.Factor:G4}x the dearest Pareto point (cost {prediction.BaseCost:G4}) = cost {prediction.TargetCost:G4}")));
        var other = m.Method == ScaleUpPredictor.SurrogateMethod && m.FrontLine is { } line
            ? $"; through the observed Pareto points {line.Predicted:G5} [{line.Lower:G5}, {line.Upper:G5}]"
            : "";
        var through = m.Method == ScaleUpPredictor.SurrogateMethod ? "law through the surrogate's predicted front" : "law through the observed Pareto points";
        console.MarkupLine(Markup.Escape(Text(
            $"{metric}: {m.Predicted:G5}  90% interval [{m.Lower:G5}, {m.Upper:G5}]  ({through} {Law(m.Law)}, {prediction.BootstrapSamples} bootstrap fits{other})")));
        if (prediction.AtSettings is { } s)
        {
            console.MarkupLine(Markup.Escape(Text(
                $"{metric} of one run at the recommended settings: {s.Predicted:G5}  90% interval [{s.Lower:G5}, {s.Upper:G5}]  (the surrogate's output model at exactly these settings; the law above assumes settings on the front)")));
        }
        var table = new Table();
        foreach (var c in new[] { "parameter", "recommended", "90% interval", "method", "surrogate", "front line" }) table.AddColumn(c);
        foreach (var p in prediction.Parameters)
        {
            table.AddRow(Markup.Escape(p.Name), Markup.Escape(Format(p.Predicted, p.IsInteger) + (p.IsFarOutsideBounds ? " (far outside bounds)" : p.IsOutsideBounds ? " (outside bounds)" : "")),
                Markup.Escape($"[{Format(p.Lower, p.IsInteger)}, {Format(p.Upper, p.IsInteger)}]"), Markup.Escape(p.Method),
                Markup.Escape(Estimate(p.Surrogate, p.IsInteger)), Markup.Escape(Estimate(p.FrontLine, p.IsInteger)));
        }
        console.Write(table);
        if (prediction.Parameters.Count > 0)
        {
            console.MarkupLine("[grey]method: surrogate = a line in ln cost through the front the surrogate models predict; front-line = a line through the observed Pareto points.[/]");
        }
        if (prediction.PredictedCost is { } cost)
        {
            var matched = prediction.IsCostMatched
                ? Text($"; the laws are read at cost {prediction.LawCost:G4} ({prediction.LawCost / prediction.TargetCost:G3}x the target), where their settings together cost the target")
                : "";
            console.MarkupLine(Markup.Escape(Text(
                $"recommended settings: predicted cost {cost:G4}, {cost / prediction.TargetCost:G3}x the target ({CostModelText(prediction)}, R² {prediction.PredictedCostRSquared:F2}){matched}")));
        }
        foreach (var warning in prediction.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
        RenderChecks(console, launched);
    }

    /// <summary>How the recommendation's cost was fitted, in words: the polynomial names its terms (largest first).</summary>
    private static string CostModelText(ScaleUpPrediction prediction) => prediction.PredictedCostFormula is { } formula
        ? Text($"cost fitted on the trials as {formula}")
        : "ln cost fitted on the trials as linear in the parameters";

    private static void RenderChecks(IAnsiConsole console, IReadOnlyList<ScaleUpRecord> launched)
    {
        foreach (var r in launched)
        {
            var actual = r.ActualOutput is double y
                ? Text($"actual {y:G5} at cost {r.ActualCost:G4} ({(y - r.Predicted) / r.Predicted:+0.0%;-0.0%}, {(r.IsInsideInterval == true ? "inside" : "outside")} the interval)")
                : $"no result yet ({r.State.ToString().ToLowerInvariant()})";
            console.MarkupLine(Markup.Escape(Text(
                $"predicted vs actual: scale-up trial {r.Trial} ({r.Factor:G4}x, cost {r.TargetCost:G4}): predicted {r.Predicted:G5} [{r.Lower:G5}, {r.Upper:G5}]{(r.Method is { } m ? $" ({m} law)" : "")}, ")) + Markup.Escape(actual));
            if (r.AtSettings is { } s)
            {
                var inside = r.IsInsideSettingsInterval is bool b ? (b ? ", inside its interval" : ", outside its interval") : "";
                console.MarkupLine(Markup.Escape(Text($"  the output model at its settings had predicted {s.Predicted:G5} [{s.Lower:G5}, {s.Upper:G5}]{inside}")));
            }
        }
    }

    private static string Estimate(MethodEstimate? e, bool isInteger) =>
        e is null ? "-" : $"{Format(e.Predicted, isInteger)} [{Format(e.Lower, isInteger)}, {Format(e.Upper, isInteger)}]";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value, bool isInteger) =>
        isInteger ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
}
