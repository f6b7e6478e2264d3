using System.Text.Json;
using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Peers;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Reporting;
using Levain.Tuning;

namespace Levain.Bench.Tuner;

/// <summary>Entry point of <c>./levain bench tuner</c>: parses, runs, prints the tables, writes the JSON.</summary>
public static class TunerBench
{
    public const string Description = "cost-aware tuner vs centered random search vs Optuna TPE on multi-fidelity problems";

    /// <summary>How <c>--json</c> is written: snake_case keys, as every Levain JSON.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static int Run(string[] args)
    {
        var allProblems = ProblemCatalog.All();
        var heldOut = ProblemCatalog.HeldOut().Select(p => p.Name).ToArray();
        var parsed = TunerBenchArguments.Parse(args, [.. allProblems.Select(p => p.Name)], heldOut);
        if (parsed.IsHelp)
        {
            Console.WriteLine(TunerBenchArguments.Usage);
            return 0;
        }
        if (parsed.Settings is not { } settings)
        {
            Console.Error.WriteLine(parsed.Error);
            return 2;
        }
        if (settings.JsonPath is { } requestedJson && Path.GetDirectoryName(Path.GetFullPath(requestedJson)) is { } jsonFolder && !Directory.Exists(jsonFolder))
        {
            Console.Error.WriteLine($"levain bench tuner: --json: folder '{jsonFolder}' does not exist.");
            return 2;
        }
        // Without --problems only the reported problems run; held-out ones (for choosing defaults) only when named.
        var onlyWhenNamed = ProblemCatalog.Extra().Select(p => p.Name).Concat(heldOut).ToArray();
        var problems = allProblems.Where(p => settings.Problems is null ? !onlyWhenNamed.Contains(p.Name) : settings.Problems.Contains(p.Name)).ToArray();
        bool Wants(string method) => settings.Methods is null || settings.Methods.Contains(method);

        var methods = new List<ISearchMethod>();
        var infos = new List<MethodInfo>();
        if (Wants(TunerBenchmark.LevainName))
        {
            var levainOptions = settings.LevainOptions ?? new CarbsOptions();
            methods.Add(new LevainCarbsMethod(settings.ExplorationBias is { } bias ? levainOptions with { ExplorationBias = bias } : levainOptions,
                reportPrediction: settings.LevainReportsPrediction));
        }
        if (Wants(EarlyStoppingMethod.MethodName) && problems.Any(p => p is ICurveProblem))
        {
            // Front dominance with its defaults, judged from cost 1 (width 64 for one epoch on the learning-curve problem);
            // chosen on exp-curve and learning-curve seeds 1000-1039 (docs/tuner.md, "Early stopping").
            var levainOptions = settings.LevainOptions ?? new CarbsOptions();
            methods.Add(new EarlyStoppingMethod(new LevainCarbsMethod(levainOptions, reportPrediction: settings.LevainReportsPrediction), null,
                new Levain.Tuning.EarlyStopping.FrontDominanceOptions(MinCost: 1.0)));
        }
        if (settings.Methods?.Contains(DominanceOracleMethod.MethodName) == true && problems.Any(p => p is ICurveProblem))
        {
            methods.Add(new DominanceOracleMethod(new LevainCarbsMethod(settings.LevainOptions ?? new CarbsOptions(), reportPrediction: settings.LevainReportsPrediction)));
        }
        if (Wants(TunerBenchmark.RandomName))
        {
            methods.Add(new CenteredRandomMethod());
        }
        if (Wants(TunerBenchmark.UniformName))
        {
            methods.Add(new UniformRandomMethod());
        }
        if (settings.Methods?.Contains(TunerBenchmark.LevainV1Name) == true)
        {
            methods.Add(new LevainCarbsMethod(TunerBenchmark.PublishedDefaults, TunerBenchmark.LevainV1Name, budgetAware: false, reportPrediction: false));
        }
        infos.AddRange(methods.Select(m => new MethodInfo(m.Name, m.Description, true)));
        OptunaTpePeer? peer = null;
        try
        {
            if (Wants("tpe"))
            {
                var status = OptunaTpePeer.TryStart(settings.PythonPath, PeerScripts.Locate(OptunaTpePeer.ScriptFileName), out peer);
                if (peer is not null)
                {
                    var tpe = new OptunaTpeMethod(peer);
                    methods.Add(tpe);
                    infos.Add(new MethodInfo(tpe.Name, tpe.Description, true));
                }
                else
                {
                    infos.Add(new MethodInfo("tpe", $"Optuna TPE {status.Description}", false));
                    Console.Error.WriteLine($"levain bench tuner: TPE {status.Description}; continuing without it");
                }
            }
            var progress = new SynchronousProgress(line => Console.Error.WriteLine(line));
            Func<int, int, Latency.LatencyPoint>? latency = Wants(TunerBenchmark.LevainName)
                ? (observations, warmCalls) => Latency.SuggestLatencyProbe.Measure(observations, warmCalls, seed: 7)
                : null;
            var report = TunerBenchmark.Run(settings, problems, methods, infos, latency, TimeProvider.System, progress);
            Console.WriteLine(ConsoleReport.Render(report));
            if (settings.JsonPath is { } jsonPath)
            {
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, JsonOptions));
                Console.Error.WriteLine($"levain bench tuner: wrote {jsonPath}");
            }
            return report.Problems.Any(p => p.Methods.Any(m => m.Errors.Any(e => !e.Contains("evaluation cap", StringComparison.Ordinal)))) ? 1 : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"levain bench tuner: {ex.Message}");
            return 1;
        }
        finally
        {
            peer?.Dispose();
        }
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
