using System.Globalization;

namespace Levain.Bench.Tuner;

/// <summary>Parses <c>levain bench tuner</c>'s options. Bad input is a value (<see cref="Error"/>), not an exception.</summary>
public sealed record TunerBenchArguments(TunerBenchSettings? Settings, bool IsHelp, string? Error)
{
    public const string Usage = """
        Usage: ./levain bench tuner [--quick] [--json PATH] [--seeds N] [--problems A,B] [--methods A,B] [--python PATH] [--exploration-bias B]

        Runs Levain's CarbsTuner, centered random search and Optuna TPE on the same cost-aware problems and seeds and
        reports simple regret at 25 %, 50 % and 100 % of each problem's cost budget (median [IQR]), Levain's median over
        TPE's at each (paired by seed, with a 95 % bootstrap interval, against the 0.8x bar), then the tuner's suggest
        latency in 10 dimensions.

          --quick          8 seeds, latency at 10/100/300 observations only (about 1.5 minutes on 2 cores, build included)
          --json PATH      also write every figure, with the raw per-seed regrets, to PATH
          --seeds N        seeds per problem and method (default 20; quick 8)
          --problems LIST  subset of: mf-hartmann6, augmented-branin (noise-free), height-with-cost
                           (noise-free), chinchilla, learning-curve (default: these five, the reported ones);
                           held-out problems, run only when named, on which the defaults are chosen:
                           mf-hartmann3, levy-fidelity (noise-free), chinchilla-epoch, exp-curve;
                           'held-out' names all four; also run only when named: learning-curve-fixed (every
                           run 27 epochs, w and lr searched: what early stopping saves in the pruners' setting)
          --methods LIST   subset of: levain, levain-es (early stopping, curve problems only), random, uniform, tpe
                           (default: these five) and levain-v1
                           (the published defaults without budget awareness; only when listed) and
                           levain-es-oracle (stops exactly the runs whose finished value would be dominated by a
                           completed run, knowing the future: the bound on what early stopping can save; only when listed)
          --python PATH    interpreter with optuna for the TPE peer (default /usr/bin/python3)
          --exploration-bias B   Levain's exploration bias β ≥ 0 (default: the tuner's, 0.5, annealed)
          --levain-options JSON  Levain's CarbsOptions as JSON, e.g. '{"NumRandomSamples":8}' (for choosing defaults)
          --levain-answer A   what Levain reports as its answer: predicted (default: the evaluated point with the best
                           model-predicted output) or observed (its best observed point, as the other methods)
          --first-seed N   first seed (default 0): choose defaults on seeds that are not the reported ones

        Exit codes: 0 done (TPE reported as unavailable when Optuna is missing), 1 a run failed, 2 bad options.
        """;

    public static readonly IReadOnlyList<string> KnownMethods = ["levain", "levain-es", "levain-v1", "levain-es-oracle", "random", "uniform", "tpe"];

    /// <summary>The name that stands for every held-out problem in <c>--problems</c>.</summary>
    public const string HeldOutAlias = "held-out";

    public static TunerBenchArguments Parse(IReadOnlyList<string> args, IReadOnlyList<string> knownProblems, IReadOnlyList<string>? heldOutProblems = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(knownProblems);
        var isQuick = args.Contains("--quick");
        var settings = isQuick ? TunerBenchSettings.Quick : TunerBenchSettings.Full;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return new(null, true, null);
                case "--quick":
                    break;
                case "--json" or "--seeds" or "--problems" or "--methods" or "--python" or "--exploration-bias" or "--levain-options" or "--first-seed" or "--levain-answer":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        return Fail($"{arg} needs a value.");
                    }
                    var value = args[++i];
                    switch (arg)
                    {
                        case "--json":
                            settings = settings with { JsonPath = value };
                            break;
                        case "--seeds":
                            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seeds) || seeds < 1 || seeds > 1000)
                            {
                                return Fail($"--seeds needs a whole number from 1 to 1000, got '{value}'.");
                            }
                            settings = settings with { SeedCount = seeds };
                            break;
                        case "--problems":
                            var problems = SplitList(value)
                                .SelectMany(p => p == HeldOutAlias && heldOutProblems is not null ? heldOutProblems : [p])
                                .Distinct()
                                .ToArray();
                            if (problems.FirstOrDefault(p => !knownProblems.Contains(p)) is { } unknownProblem)
                            {
                                return Fail($"--problems: unknown problem '{unknownProblem}'. Known: {string.Join(", ", knownProblems)}.");
                            }
                            settings = settings with { Problems = problems };
                            break;
                        case "--methods":
                            var methods = SplitList(value);
                            if (methods.FirstOrDefault(m => !KnownMethods.Contains(m)) is { } unknownMethod)
                            {
                                return Fail($"--methods: unknown method '{unknownMethod}'. Known: {string.Join(", ", KnownMethods)}.");
                            }
                            settings = settings with { Methods = methods };
                            break;
                        case "--levain-answer":
                            if (value is not ("predicted" or "observed"))
                            {
                                return Fail($"--levain-answer needs 'predicted' or 'observed', got '{value}'.");
                            }
                            settings = settings with { LevainReportsPrediction = value == "predicted" };
                            break;
                        case "--first-seed":
                            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var firstSeed) || firstSeed > 1_000_000)
                            {
                                return Fail($"--first-seed needs a whole number from 0 to 1000000, got '{value}'.");
                            }
                            settings = settings with { FirstSeed = firstSeed };
                            break;
                        case "--levain-options":
                            try
                            {
                                var overrides = System.Text.Json.JsonSerializer.Deserialize<Levain.Tuning.CarbsOptions>(value, new System.Text.Json.JsonSerializerOptions
                                {
                                    PropertyNameCaseInsensitive = true,
                                    Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
                                });
                                settings = settings with { LevainOptions = overrides };
                            }
                            catch (System.Text.Json.JsonException e)
                            {
                                return Fail($"--levain-options needs a JSON object of CarbsOptions properties: {e.Message}");
                            }
                            break;
                        case "--exploration-bias":
                            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bias) || !double.IsFinite(bias) || bias < 0)
                            {
                                return Fail($"--exploration-bias needs a finite number ≥ 0, got '{value}'.");
                            }
                            settings = settings with { ExplorationBias = bias };
                            break;
                        default:
                            settings = settings with { PythonPath = value };
                            break;
                    }
                    break;
                default:
                    return Fail($"unknown option '{arg}'.");
            }
        }
        return new(settings, false, null);
    }

    private static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static TunerBenchArguments Fail(string message) => new(null, false, $"levain bench tuner: {message} (see --help)");
}
