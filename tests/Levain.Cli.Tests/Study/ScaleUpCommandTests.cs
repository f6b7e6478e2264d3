using System.Globalization;
using System.Text.Json;
using Levain.Tuning.Tests.Scaling;

namespace Levain.Cli.Tests.Study;

/// <summary>
/// <c>levain study scale-up</c> end to end on a real study: a Python trial program with a known law (loss = 1 + 3·n^−0.4
/// + 0.1·(log₁₀(lr/lr*(n)))², lr* = 10⁻²·n^−0.3, cost = flops = n) tuned by <c>levain tune</c>, then the recommendation
/// launched as a trial and checked against its stored prediction.
/// </summary>
public sealed class ScaleUpCommandTests : IDisposable
{
    private const string Program = """
        import json, math, os, sys
        n = float(sys.argv[1]); lr = float(sys.argv[2])
        offset = math.log10(lr / (1e-2 * n ** -0.3))
        with open("runs.txt", "a") as f:
            f.write("%s %s %s\n" % (os.environ["LEVAIN_TRIAL_ID"], sys.argv[1], sys.argv[2]))
        json.dump({"loss": 1 + 3 * n ** -0.4 + 0.1 * offset * offset, "flops": n}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("levain-scale-up-").FullName;

    private string Study()
    {
        File.WriteAllText(Path.Combine(_dir, "law.py"), Program);
        var path = Path.Combine(_dir, "law.yaml");
        File.WriteAllText(path, """
            name: law
            command: ["python3", "law.py", "{n}", "{lr}"]
            metric: loss
            cost: flops
            parameters:
              n: { kind: log, center: 30, min: 1, max: 1000 }
              lr: { kind: log, center: 0.003, min: 0.0001, max: 0.1 }
            tuner: { seed: 5, num_random_samples: 5 }
            budget: { trials: 12 }
            workers: 2
            storage: "sqlite:./law.db"
            """);
        return path;
    }

    [Fact]
    public async Task ScaleUp_Launch_RunsTheRecommendationAndPrintsPredictedVersusActual()
    {
        var study = Study();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tune = await CliRunner.RunAsync("tune", study, "--json");
        TestContext.Current.TestOutputHelper?.WriteLine($"tune {clock.Elapsed}");
        Assert.True(tune.ExitCode == 0, tune.StdErr);

        var plotDir = Path.Combine(_dir, "plots");
        var plot = await CliRunner.RunAsync("study", "plot", study, "--format", "svg", "--out", plotDir, "--json");
        Assert.True(plot.ExitCode == 0, plot.StdErr);
        var svgs = JsonSerializer.Deserialize<string[]>(plot.StdOut)!;
        Assert.Equal(["best-so-far.svg", "param-lr.svg", "param-n.svg", "pareto.svg"], svgs.Select(Path.GetFileName).Order());
        var svg = await File.ReadAllTextAsync(svgs.Single(f => f.EndsWith("param-n.svg", StringComparison.Ordinal)), TestContext.Current.CancellationToken);
        Assert.Contains("90% interval band", svg, StringComparison.Ordinal);
        Assert.Contains(">extrapolated<", svg.Replace("\n", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("front-line law", svg, StringComparison.Ordinal);
        AssertBandCoversThePoints(svg);

        var storageOnly = await CliRunner.RunAsync("study", "scale-up", "sqlite:" + Path.Combine(_dir, "law.db"), "--launch");
        Assert.Equal(64, storageOnly.ExitCode);
        Assert.Contains("--launch needs the study file", storageOnly.StdErr, StringComparison.Ordinal);

        var launch = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "3", "--bootstrap", "20", "--launch", "--json");
        Assert.True(launch.ExitCode == 0, launch.StdErr + launch.StdOut);
        TestContext.Current.TestOutputHelper?.WriteLine($"launch {clock.Elapsed}");
        var lines = launch.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"event\":\"trial_succeeded\"", StringComparison.Ordinal));
        using var result = JsonDocument.Parse(lines[^1]);
        var trial = result.RootElement.GetProperty("launched_trial").GetInt32();
        Assert.Equal(13, trial);
        var prediction = result.RootElement.GetProperty("prediction");
        var recommendedN = prediction.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "n").GetProperty("predicted").GetDouble();
        var check = Assert.Single(result.RootElement.GetProperty("scale_up_trials").EnumerateArray());
        Assert.Equal(trial, check.GetProperty("trial").GetInt32());
        // The same shape as `study show --json`'s scale-up trials: twelve trials have no surrogate, so nothing at the settings.
        Assert.Equal(JsonValueKind.Null, check.GetProperty("at_settings").ValueKind);
        Assert.Equal(JsonValueKind.Null, check.GetProperty("is_inside_settings_interval").ValueKind);
        // Twelve trials are too few for the surrogate: the metric's law goes through the observed Pareto points, and the
        // stored prediction says so.
        Assert.Equal("front-line", prediction.GetProperty("metric").GetProperty("method").GetString());
        Assert.Equal("front-line", check.GetProperty("method").GetString());
        var actual = check.GetProperty("actual_output").GetDouble();
        Assert.Equal(recommendedN, check.GetProperty("actual_cost").GetDouble(), 1e-6 * recommendedN);
        // The cost is n: the launched run cost what was asked, and the JSON says where the laws were read.
        var targetCost = prediction.GetProperty("target_cost").GetDouble();
        Assert.InRange(check.GetProperty("actual_cost").GetDouble() / targetCost, 0.95, 1.05);
        Assert.InRange(prediction.GetProperty("predicted_cost").GetDouble() / targetCost, 0.95, 1.05);
        Assert.True(prediction.GetProperty("law_cost").GetDouble() > 0);
        // cost = n is exactly log-linear: the simpler form is kept and no polynomial's terms are printed.
        Assert.Equal("log-linear", prediction.GetProperty("predicted_cost_model").GetString());
        Assert.Equal(JsonValueKind.Null, prediction.GetProperty("predicted_cost_formula").ValueKind);
        // is_cost_matched says whether the laws were read away from the target.
        var lawShift = Math.Abs(Math.Log(prediction.GetProperty("law_cost").GetDouble() / targetCost));
        Assert.Equal(lawShift > 1e-9, prediction.GetProperty("is_cost_matched").GetBoolean());
        // The program computed the known law at the recommended settings: the trial really ran with them.
        var run = File.ReadAllLines(Path.Combine(_dir, "runs.txt")).Single(l => l.StartsWith("law-13 ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(recommendedN, double.Parse(run[1], System.Globalization.CultureInfo.InvariantCulture), 1e-6 * recommendedN);
        Assert.True(Math.Abs(actual - check.GetProperty("predicted").GetDouble()) / actual < 0.15, $"predicted {check.GetProperty("predicted")} vs actual {actual}");

        // Afterwards: scale-up and study show print predicted vs actual for exactly that trial.
        var again = await CliRunner.RunAsync("study", "scale-up", study, "--bootstrap", "20");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"predicted vs actual: scale-up trial {trial} (3x", again.StdOut, StringComparison.Ordinal);
        Assert.Single(again.StdOut.Split('\n'), l => l.Contains("predicted vs actual", StringComparison.Ordinal)); // no other trial is held to the law
        Assert.Contains("surrogate", again.StdOut, StringComparison.Ordinal);
        Assert.Contains("(ln cost fitted on the trials as linear in the parameters, R² 1.00)", again.StdOut, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync("study", "show", study, "--json");
        Assert.True(show.ExitCode == 0, show.StdErr);
        using var report = JsonDocument.Parse(show.StdOut);
        var shownScaleUp = report.RootElement.GetProperty("scale_up");
        Assert.InRange(shownScaleUp.GetProperty("predicted_cost").GetDouble() / shownScaleUp.GetProperty("target_cost").GetDouble(), 0.95, 1.05);
        Assert.True(shownScaleUp.GetProperty("law_cost").GetDouble() > 0);
        Assert.Equal("log-linear", shownScaleUp.GetProperty("predicted_cost_model").GetString());
        var shown = Assert.Single(report.RootElement.GetProperty("scale_up_trials").EnumerateArray());
        Assert.Equal(actual, shown.GetProperty("actual_output").GetDouble());
        Assert.Equal("front-line", shown.GetProperty("method").GetString());
        Assert.Equal("scale_up", report.RootElement.GetProperty("trial_rows").EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == trial).GetProperty("phase").GetString());
        var table = await CliRunner.RunAsync("study", "show", study);
        Assert.Contains("Scale-up trials", table.StdOut, StringComparison.Ordinal);
        // The metric's law is the saturating one, printed under the parameters' table (a law with a floor: no warning),
        // and the table has no straight-line row for the metric.
        Assert.Contains("along the front, saturating law", table.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("(front)", table.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("shows no saturation", table.StdOut, StringComparison.Ordinal);

        // A recommendation further beyond its bounds than they are wide (n at 10⁹x the dearest point; bounds 1–1000) is
        // not launched without --force: exit 1, the parameter named, the table marks it, and no trial runs.
        var far = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "1e9", "--bootstrap", "20", "--launch");
        Assert.Equal(1, far.ExitCode);
        Assert.Contains("not launched: n = ", far.StdErr, StringComparison.Ordinal);
        Assert.Contains("--force", far.StdErr, StringComparison.Ordinal);
        Assert.Contains("(far outside bounds)", far.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(_dir, "runs.txt")), l => l.StartsWith($"law-{trial + 1} ", StringComparison.Ordinal));

        // A second launch is a new trial (scale-up-2); when its program fails the command says so and exits 1, and the
        // first scale-up trial's record is untouched.
        File.WriteAllText(Path.Combine(_dir, "law.py"), "import sys\nprint('out of memory', file=sys.stderr)\nsys.exit(3)\n");
        var failing = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "2", "--bootstrap", "20", "--launch");
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains($"scale-up trial {trial + 1} failed", failing.StdErr, StringComparison.Ordinal);
        var after = await CliRunner.RunAsync("study", "show", study, "--json");
        using var afterReport = JsonDocument.Parse(after.StdOut);
        var records = afterReport.RootElement.GetProperty("scale_up_trials").EnumerateArray().ToList();
        Assert.Equal([trial, trial + 1], records.Select(r => r.GetProperty("trial").GetInt32()));
        Assert.Equal(actual, records[0].GetProperty("actual_output").GetDouble());
        Assert.Equal("failed", records[1].GetProperty("state").GetString());

        // With --force the far recommendation runs.
        File.WriteAllText(Path.Combine(_dir, "law.py"), Program);
        var forced = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "1e9", "--bootstrap", "20", "--launch", "--force");
        Assert.True(forced.ExitCode == 0, forced.StdErr + forced.StdOut);
        Assert.Contains(File.ReadAllLines(Path.Combine(_dir, "runs.txt")), l => l.StartsWith($"law-{trial + 2} ", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"end {clock.Elapsed}");
    }

    /// <summary>
    /// In ScottPlot's SVG the band is the one translucent filled path (upper edge left to right, then the lower edge back)
    /// and the Pareto points are the blue ellipses before the legend: each point must lie between the edges at its x (2 px slack).
    /// </summary>
    private static void AssertBandCoversThePoints(string svg)
    {
        var band = System.Text.RegularExpressions.Regex.Match(svg, "<path fill=\"#FF4500\" fill-opacity=\"[0-9.]+\" d=\"([^\"]+)\"");
        Assert.True(band.Success, "no band path in the SVG");
        var vertices = System.Text.RegularExpressions.Regex.Matches(band.Groups[1].Value, "([-0-9.]+) ([-0-9.]+)")
            .Select(m => (X: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Y: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        var half = vertices.Count / 2;
        var upper = vertices.Take(half).OrderBy(v => v.X).ToList();
        var lower = vertices.Skip(half).Take(half).OrderBy(v => v.X).ToList();
        static double At(List<(double X, double Y)> edge, double x)
        {
            var i = Math.Clamp(edge.FindIndex(v => v.X >= x), 1, edge.Count - 1);
            var (a, b) = (edge[i - 1], edge[i]);
            return b.X == a.X ? a.Y : a.Y + ((b.Y - a.Y) * (x - a.X) / (b.X - a.X));
        }
        // The legend (drawn after the data, with its own marker ellipses) starts at the first text.
        var points = System.Text.RegularExpressions.Regex.Matches(svg[..svg.IndexOf("<text", StringComparison.Ordinal)], "<ellipse fill=\"#4682B4\" cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\"")
            .Select(m => (X: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Y: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.True(points.Count >= 3, $"{points.Count} Pareto points drawn");
        Assert.True(upper[^1].X > points.Max(p => p.X) + 50, "the band extends beyond the dearest Pareto point toward the target");
        foreach (var (x, y) in points)
        {
            var (top, bottom) = (At(upper, x), At(lower, x));
            Assert.InRange(y, Math.Min(top, bottom) - 2, Math.Max(top, bottom) + 2);
        }
    }

    [Fact]
    public async Task ScaleUp_BadInput_ExitsSixtyFour()
    {
        var study = Study();
        var missing = await CliRunner.RunAsync("study", "scale-up", "sqlite:" + Path.Combine(_dir, "none.db"));
        Assert.Equal(64, missing.ExitCode);
        var unrun = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "-1");
        Assert.Equal(64, unrun.ExitCode);
        var timeout = await CliRunner.RunAsync("study", "scale-up", study, "--launch", "--trial-timeout", "soon");
        Assert.Equal(64, timeout.ExitCode);
        Assert.Contains("--trial-timeout: expected a duration such as 30s", timeout.StdErr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A trial that runs as long as it costs: n/50 seconds, n in [5, 50] (at most 1 s), under a study timeout of 2 s.
    /// The 4x recommendation (n over 100, more than 2 s) outlives the study's timeout: launched under it, it was killed, as the demo's 10x
    /// run was after the demo's 3 minutes. By default the launch scales the timeout by the recommendation's cost over
    /// the dearest Pareto point's; --trial-timeout sets it (and 'none' lifts it).
    /// </summary>
    [Fact]
    public async Task ScaleUp_Launch_ScalesTheStudysTrialTimeoutByTheCost_AndTakesAnOverride()
    {
        File.WriteAllText(Path.Combine(_dir, "slow.py"), """
            import json, os, sys, time
            n = float(sys.argv[1])
            for step in range(1, 5):
                time.sleep(n / 200)
                print("levain-progress " + json.dumps({"step": step, "steps": 4}), flush=True)
            json.dump({"loss": 1 + 3 * n ** -0.4, "flops": n}, open(os.environ["LEVAIN_RESULT"], "w"))
            """);
        var study = Path.Combine(_dir, "slow.yaml");
        File.WriteAllText(study, """
            name: slow
            command: ["python3", "slow.py", "{n}"]
            metric: loss
            cost: flops
            parameters:
              n: { kind: log, center: 15, min: 5, max: 50 }
            tuner: { seed: 3, num_random_samples: 4 }
            budget: { trials: 8 }
            workers: 2
            timeout: 2s
            storage: "sqlite:./slow.db"
            """);
        var tune = await CliRunner.RunAsync("tune", study, "--json");
        Assert.True(tune.ExitCode == 0, tune.StdErr);

        var cut = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "4", "--bootstrap", "20", "--launch", "--trial-timeout", "1s");
        Assert.Equal(1, cut.ExitCode);
        Assert.Contains("trial timeout 1s (--trial-timeout)", cut.StdOut, StringComparison.Ordinal);
        Assert.Contains("timed out after 1s", cut.StdErr + cut.StdOut, StringComparison.Ordinal);

        var launch = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "4", "--bootstrap", "20", "--launch", "--json");
        Assert.True(launch.ExitCode == 0, launch.StdErr + launch.StdOut);
        using var result = JsonDocument.Parse(launch.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        var prediction = result.RootElement.GetProperty("prediction");
        var ratio = prediction.GetProperty("predicted_cost").GetDouble() / prediction.GetProperty("base_cost").GetDouble();
        Assert.InRange(ratio, 3.5, 4.5);
        Assert.Equal(2.0 * ratio, result.RootElement.GetProperty("trial_timeout_seconds").GetDouble(), 1e-6);
        var check = Assert.Single(result.RootElement.GetProperty("scale_up_trials").EnumerateArray(), r => r.GetProperty("trial").GetInt32() == result.RootElement.GetProperty("launched_trial").GetInt32());
        Assert.Equal("succeeded", check.GetProperty("state").GetString());
        Assert.True(check.GetProperty("actual_cost").GetDouble() / 50 > 2.0, $"n = {check.GetProperty("actual_cost")}: it ran longer than the study's timeout");
        // Its progress events show the time it has left from its own steps, with no trial budget (it runs outside it).
        var progress = launch.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("\"event\":\"trial_progress\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("status")).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(JsonValueKind.Null, p.GetProperty("trial_budget").ValueKind));
        Assert.All(progress, p => Assert.InRange(p.GetProperty("eta_seconds").GetDouble(), 0.0, 2.0 * ratio));

        // The dearest Pareto point is now that trial: at 1x its settings run again, as long, with no timeout at all.
        var unlimited = await CliRunner.RunAsync("study", "scale-up", study, "--factor", "1", "--bootstrap", "20", "--launch", "--trial-timeout", "none", "--json");
        Assert.True(unlimited.ExitCode == 0, unlimited.StdErr + unlimited.StdOut);
        using var third = JsonDocument.Parse(unlimited.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(JsonValueKind.Null, third.RootElement.GetProperty("trial_timeout_seconds").ValueKind);
    }

    /// <summary>
    /// A launch the output model expects to lose to the best trial is warned about, not refused (a refusal was tried:
    /// on the next demo the refused 10x, forced, beat the best trial): the failed launch's demo study (its 25 trials
    /// imported into the store, a stand-in program that prints the trainer's FLOPs count) at 10x launches with the
    /// warning naming the smaller factor, and that factor launches without it.
    /// </summary>
    [Fact]
    public async Task ScaleUp_Launch_WarnsAboutSettingsTheModelExpectsToLose_NamingTheSmallerFactor_AndThatFactorLaunches()
    {
        File.WriteAllText(Path.Combine(_dir, "train.py"), """
            import json, os, sys
            width, depth, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            n = 257 * width + depth * (12 * width * width + 13 * width) + 2 * width
            with open("runs.txt", "a") as f:
                f.write("%s %s %s %s\n" % (os.environ["LEVAIN_TRIAL_ID"], width, depth, steps))
            json.dump({"nll_correct": 0.9, "flops": steps * 16 * 64 * (6 * n + 12 * depth * width * 64)}, open(os.environ["LEVAIN_RESULT"], "w"))
            """);
        var path = Path.Combine(_dir, "demo.yaml");
        File.WriteAllText(path, """
            name: demo
            command: ["python3", "train.py", "{width}", "{depth}", "{steps}", "{lr}"]
            direction: minimize
            metric: nll_correct
            metric_bound: 0
            cost: flops
            parameters:
              lr: { kind: log, center: 0.004, min: 0.0003, max: 0.03 }
              width: { kind: log, center: 64, min: 16, max: 256, integer: true, rounding: 8 }
              depth: { kind: log, center: 2, min: 1, max: 6, integer: true }
              steps: { kind: log, center: 900, min: 100, max: 8000, integer: true, rounding: 50 }
            storage: "sqlite:./demo.db"
            """);
        var store = Levain.Studies.StudyStorage.Open("sqlite:./demo.db", _dir);
        await using (store.ConfigureAwait(false))
        {
            await store.EnsureStudyAsync(Levain.Runner.StudyFiles.StudyFileParser.Load(path).ToSpec(), TestContext.Current.CancellationToken);
            var imported = await store.ImportTrialsAsync("demo", [.. LaunchedDemos.Failed.Select((t, i) => new Levain.Studies.Trials.TrialRecord
            {
                Study = "demo", Number = i + 1, SuggestionId = $"s{i + 1}", State = Levain.Studies.Trials.TrialState.Succeeded, Parameters = LaunchedDemos.Settings(t),
                CreatedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(i + 1), Output = t.Output, Cost = t.Cost,
            })], TestContext.Current.CancellationToken);
            Assert.Equal(25, imported);
        }
        var runs = Path.Combine(_dir, "runs.txt");

        var warned = await CliRunner.RunAsync("study", "scale-up", path, "--bootstrap", "40", "--launch");
        Assert.True(warned.ExitCode == 0, warned.StdErr + warned.StdOut);
        var flat = warned.StdOut.Replace("\n", " ", StringComparison.Ordinal);
        Assert.Contains("does not expect the recommended settings to beat the best trial", flat, StringComparison.Ordinal);
        var named = System.Text.RegularExpressions.Regex.Match(flat, @"the largest the model expects to beat the best trial is ([0-9.]+)x");
        Assert.True(named.Success, warned.StdOut);
        Assert.Single(File.ReadAllLines(runs));

        var smaller = await CliRunner.RunAsync("study", "scale-up", path, "--factor", named.Groups[1].Value, "--bootstrap", "40", "--launch");
        Assert.True(smaller.ExitCode == 0, smaller.StdErr + smaller.StdOut);
        Assert.DoesNotContain("does not expect the recommended settings", smaller.StdOut.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(runs).Length);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
