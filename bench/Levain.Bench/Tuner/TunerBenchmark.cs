using System.Diagnostics;
using System.Globalization;
using Levain.Bench.Tuner.Latency;
using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Reporting;
using Levain.Bench.Tuner.Runs;

namespace Levain.Bench.Tuner;

/// <summary>
/// Runs every method on every problem with the same seeds (seed k drives the method's randomness and the problem's
/// noise stream identically for all methods), then measures the tuner's suggest latency. Progress goes to
/// <see cref="IProgress{T}"/>; the caller renders.
/// </summary>
public static class TunerBenchmark
{
    public const string LevainName = "levain";
    public const string RandomName = "random";
    public const string UniformName = "uniform";
    public const string TpeName = "tpe";

    /// <summary>Seed of every bootstrap of the report, so a rerun on the same results prints the same intervals.</summary>
    private const int BootstrapSeed = 20261207;

    /// <summary>Resamples of the seeds in every bootstrap of the report.</summary>
    private const int BootstrapResamples = 2000;

    /// <summary>The tuner with the published CARBS defaults and none of the v2 additions, for comparison.</summary>
    public const string LevainV1Name = "levain-v1";

    /// <summary>Methods that stop runs early: compared with plain Levain at equal regret.</summary>
    public static IReadOnlyList<string> EarlyStoppingNames { get; } = [EarlyStoppingMethod.MethodName, DominanceOracleMethod.MethodName];

    public static Levain.Tuning.CarbsOptions PublishedDefaults { get; } = new()
    {
        NumRandomSamples = 4,
        ExplorationBias = 1.0,
        TrustRegions = false,
        SpaceFillingInitialDesign = false,
        ResampleOnlyWhenUncertain = false,
        AnswerRefinementShare = 0,
    };

    /// <param name="measureLatency">Suggest latency probe: (observations, warm calls) → measurement; null skips it.</param>
    public static TunerBenchReport Run(
        TunerBenchSettings settings,
        IReadOnlyList<ICostAwareProblem> problems,
        IReadOnlyList<ISearchMethod> methods,
        IReadOnlyList<MethodInfo> methodInfos,
        Func<int, int, LatencyPoint>? measureLatency,
        TimeProvider timeProvider,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var startedAt = timeProvider.GetUtcNow();
        var wall = Stopwatch.StartNew();
        var seeds = Enumerable.Range(settings.FirstSeed, settings.SeedCount).ToArray();
        var problemResults = new List<ProblemResults>();
        var tpeComparisons = new List<TpeComparison>();
        foreach (var problem in problems)
        {
            var budget = problem.TotalBudget * settings.BudgetScale;
            // Early stopping needs a learning curve to watch: its method runs only on curve problems.
            var problemMethods = methods.Where(m => m is not (EarlyStoppingMethod or DominanceOracleMethod) || problem is ICurveProblem).ToArray();
            var runs = problemMethods.ToDictionary(m => m.Name, _ => new List<RunResult>(), StringComparer.Ordinal);
            foreach (var seed in seeds)
            {
                foreach (var method in problemMethods)
                {
                    var run = SearchRun.Execute(problem, method, seed, budget, settings.MaxEvaluations);
                    runs[method.Name].Add(run);
                    progress?.Report(Describe(run, budget, wall.Elapsed));
                }
            }
            var budgets = settings.BudgetFractions.Select(f => f * budget).ToArray();
            var summaries = problemMethods.Select(m => Summarize(m.Name, runs[m.Name], settings.BudgetFractions, budgets, problem.OptimumValue) with
            {
                EarlyStopped = runs[m.Name].Sum(r => r.EarlyStopped),
                Overrun = BudgetOverrun.Of(runs[m.Name], budget),
            }).ToList();
            foreach (var name in EarlyStoppingNames)
            {
                if (!runs.TryGetValue(name, out var esRuns) || !runs.TryGetValue(LevainName, out var plainRuns)) continue;
                var i = summaries.FindIndex(m => m.Method == name);
                summaries[i] = summaries[i] with
                {
                    FractionForLevainRegret = FractionToMatch(esRuns, plainRuns, budget, problem.OptimumValue),
                    FractionForLevainHalfBudgetRegret = FractionToMatch(esRuns, plainRuns, budget, problem.OptimumValue, 0.5),
                    PairedSavings = [PairedSavingOf(esRuns, plainRuns, budget, problem.OptimumValue, 0.5), PairedSavingOf(esRuns, plainRuns, budget, problem.OptimumValue, 1.0)],
                };
            }
            problemResults.Add(new ProblemResults(problem.Name, problem.Description, problem.OptimumValue, budget, summaries));
            if (runs.TryGetValue(LevainName, out var levainRuns) && runs.TryGetValue(TpeName, out var tpeRuns))
            {
                tpeComparisons.AddRange(settings.BudgetFractions.Select(f => CompareWithTpe(problem.Name, levainRuns, tpeRuns, f, f * budget, problem.OptimumValue)));
            }
        }

        var latency = new List<LatencyPoint>();
        if (measureLatency is not null)
        {
            foreach (var n in settings.LatencyObservationCounts)
            {
                var point = measureLatency(n, settings.LatencyWarmCalls);
                latency.Add(point);
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"latency  {point.Dimensions}-D, {n,5} observations: median {point.MedianSeconds * 1000:F1} ms (first call {point.ColdSeconds * 1000:F1} ms){(point.FullRefit is { } full ? $", full refit {full.MedianSeconds * 1000:F1} ms" : "")}{(point.SecondHalf is { } late ? $", second half {late.MedianSeconds * 1000:F1} ms" : "")}  [{wall.Elapsed:mm\\:ss}]"));
            }
        }

        return new TunerBenchReport(settings.Mode, startedAt, wall.Elapsed.TotalSeconds, MachineInfo.Capture(), methodInfos,
            seeds, settings.BudgetFractions, problemResults, CompareWithRandom(problemResults), latency) { LevainVersusTpe = tpeComparisons };
    }

    /// <summary>Levain's median regret against random search's at each budget of each problem (both must have run).</summary>
    public static IReadOnlyList<RandomComparison> CompareWithRandom(IReadOnlyList<ProblemResults> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var comparisons = new List<RandomComparison>();
        foreach (var problem in problems)
        {
            var levain = problem.Methods.FirstOrDefault(m => m.Method == LevainName);
            var random = problem.Methods.FirstOrDefault(m => m.Method == RandomName);
            if (levain is null || random is null)
            {
                continue;
            }
            for (var b = 0; b < levain.Budgets.Count; b++)
            {
                var l = levain.Budgets[b].Median ?? double.PositiveInfinity;
                var r = random.Budgets[b].Median ?? double.PositiveInfinity;
                comparisons.Add(new RandomComparison(problem.Problem, levain.Budgets[b].Fraction, levain.Budgets[b].Median, random.Budgets[b].Median, l < r));
            }
        }
        return comparisons;
    }

    /// <summary>
    /// Levain against TPE at one budget (<see cref="TpeComparison"/>): runs are matched by seed, seeds where either run
    /// broke are left out; the bootstrap draws <see cref="BootstrapResamples"/> resamples of the seeds with a fixed seed.
    /// </summary>
    public static TpeComparison CompareWithTpe(string problem, IReadOnlyList<RunResult> levain, IReadOnlyList<RunResult> tpe, double fraction, double budget, double optimum)
    {
        ArgumentNullException.ThrowIfNull(levain);
        ArgumentNullException.ThrowIfNull(tpe);
        var pairs = PairBySeed(levain, tpe)
            .Select(p => (Levain: RegretBookkeeping.RegretAt(p.Run.Trace, budget, optimum), Tpe: RegretBookkeeping.RegretAt(p.Peer.Trace, budget, optimum))).ToList();
        if (pairs.Count == 0) return new TpeComparison(problem, fraction, 0, null, null, null, null, null, false);
        var levainRegrets = pairs.Select(p => p.Levain).ToArray();
        var tpeRegrets = pairs.Select(p => p.Tpe).ToArray();
        var ratio = RatioOfMedians(levainRegrets, tpeRegrets);
        // A resample whose TPE median is zero or infinite has no ratio; the interval is over the others, and absent
        // when most have none.
        var ratios = Bootstrap(pairs, sample => RatioOfMedians([.. sample.Select(p => p.Levain)], [.. sample.Select(p => p.Tpe)])).OfType<double>().ToArray();
        var hasInterval = ratios.Length >= BootstrapResamples / 2;
        return new TpeComparison(problem, fraction, pairs.Count, Finite(Quantiles.Of(levainRegrets, 0.5)), Finite(Quantiles.Of(tpeRegrets, 0.5)), ratio,
            hasInterval ? Quantiles.Of(ratios, 0.025) : null, hasInterval ? Quantiles.Of(ratios, 0.975) : null,
            ratio is double x && x <= TpeComparison.Bar);
    }

    /// <summary>Each run of <paramref name="runs"/> that did not break with the run of the same seed in <paramref name="peers"/>, when that did not break either; in <paramref name="runs"/>' order.</summary>
    private static List<(RunResult Run, RunResult Peer)> PairBySeed(IReadOnlyList<RunResult> runs, IReadOnlyList<RunResult> peers) =>
        [.. runs.Where(r => r.Error is null)
            .Select(r => (Run: r, Peer: peers.FirstOrDefault(p => p.Seed == r.Seed && p.Error is null)))
            .Where(p => p.Peer is not null)
            .Select(p => (p.Run, p.Peer!))];

    /// <summary>
    /// The statistic over <see cref="BootstrapResamples"/> resamples of <paramref name="items"/> (with replacement, the
    /// same size), drawn from a generator seeded with <see cref="BootstrapSeed"/>.
    /// </summary>
    private static TResult[] Bootstrap<T, TResult>(IReadOnlyList<T> items, Func<T[], TResult> statistic)
    {
        var random = new Random(BootstrapSeed);
        var sample = new T[items.Count];
        var results = new TResult[BootstrapResamples];
        for (var b = 0; b < results.Length; b++)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] = items[random.Next(items.Count)];
            results[b] = statistic(sample);
        }
        return results;
    }

    private static double? RatioOfMedians(double[] numerator, double[] denominator)
    {
        var n = Quantiles.Of(numerator, 0.5);
        var d = Quantiles.Of(denominator, 0.5);
        return double.IsFinite(n) && double.IsFinite(d) && d > 0 ? n / d : null;
    }

    public static MethodResults Summarize(string method, IReadOnlyList<RunResult> runs, IReadOnlyList<double> fractions, IReadOnlyList<double> budgets, double optimum)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(fractions);
        ArgumentNullException.ThrowIfNull(budgets);
        // A run the method broke (a dead peer) has no fair regret; it is listed under errors instead.
        var complete = runs.Where(r => r.Error is null).ToArray();
        var budgetRegrets = new List<BudgetRegrets>();
        for (var b = 0; b < budgets.Count; b++)
        {
            var regrets = complete.Select(r => RegretBookkeeping.RegretAt(r.Trace, budgets[b], optimum)).ToArray();
            var bestCosts = complete.Select(r => RegretBookkeeping.ReportedWithin(r.Trace, budgets[b])?.Cost ?? double.PositiveInfinity).ToArray();
            var summary = Quantiles.Summarize(regrets);
            budgetRegrets.Add(new BudgetRegrets(fractions[b], budgets[b], Finite(summary.Median), Finite(summary.Q1), Finite(summary.Q3),
                [.. regrets.Select(Finite)], Finite(Quantiles.Of(bestCosts, 0.5)), [.. bestCosts.Select(Finite)]));
        }
        var errors = runs.Where(r => r.Error is not null).Select(r => $"seed {r.Seed}: {r.Error}")
            .Concat(runs.Where(r => r.HitEvaluationCap).Select(r => $"seed {r.Seed}: stopped at the evaluation cap ({r.Trace.Count}) before the budget"))
            .ToArray();
        return new MethodResults(method, budgetRegrets, [.. complete.Select(r => r.Trace.Count)],
            runs.Sum(r => r.AskSeconds), runs.Sum(r => r.WallSeconds), errors);
    }

    /// <summary>
    /// Cost saved at equal regret: the smallest budget fraction (in 1 % steps) at which the median regret of
    /// <paramref name="candidate"/> is at most the median regret of <paramref name="reference"/> at
    /// <paramref name="referenceFraction"/> of the budget (default: the whole budget).
    /// </summary>
    public static double? FractionToMatch(IReadOnlyList<RunResult> candidate, IReadOnlyList<RunResult> reference, double budget, double optimum, double referenceFraction = 1.0)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        var target = Quantiles.Of([.. reference.Where(r => r.Error is null).Select(r => RegretBookkeeping.RegretAt(r.Trace, budget * referenceFraction, optimum))], 0.5);
        for (var percent = 1; percent <= 100; percent++)
        {
            var b = budget * percent / 100.0;
            var median = Quantiles.Of([.. candidate.Where(r => r.Error is null).Select(r => RegretBookkeeping.RegretAt(r.Trace, b, optimum))], 0.5);
            if (median <= target) return percent / 100.0;
        }
        return null;
    }

    /// <summary>
    /// Cost saved at equal regret, paired by seed (<see cref="PairedSaving"/>): runs are matched by seed; seeds where
    /// either run broke are left out. The bootstrap (2,000 resamples of the seeds, fixed seed) gives a 95 % interval of
    /// the median saving.
    /// </summary>
    public static PairedSaving PairedSavingOf(IReadOnlyList<RunResult> candidate, IReadOnlyList<RunResult> reference, double budget, double optimum, double referenceFraction)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        var seeds = new List<int>();
        var fractions = new List<double>();
        foreach (var (plain, es) in PairBySeed(reference, candidate))
        {
            var target = RegretBookkeeping.RegretAt(plain.Trace, budget * referenceFraction, optimum);
            var fraction = double.PositiveInfinity;
            for (var percent = 1; percent <= 100; percent++)
            {
                if (RegretBookkeeping.RegretAt(es.Trace, budget * percent / 100.0, optimum) <= target)
                {
                    fraction = percent / 100.0;
                    break;
                }
            }
            seeds.Add(plain.Seed);
            fractions.Add(fraction);
        }
        if (fractions.Count == 0) return new PairedSaving(referenceFraction, [], [], null, null, null);
        double Saved(double medianFraction) => 1 - (medianFraction / referenceFraction);
        var medians = Bootstrap(fractions, sample => Quantiles.Of(sample, 0.5));
        // A larger fraction is a smaller saving: the interval's low end comes from the high quantile of the fractions.
        return new PairedSaving(referenceFraction, seeds, [.. fractions.Select(Finite)], Finite(Saved(Quantiles.Of(fractions, 0.5))),
            Finite(Saved(Quantiles.Of(medians, 0.975))), Finite(Saved(Quantiles.Of(medians, 0.025))));
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Describe(RunResult run, double budget, TimeSpan elapsed)
    {
        var regret = RegretBookkeeping.RegretAt(run.Trace, budget, 0.0);
        var status = run.Error is null ? "" : $"  ERROR: {run.Error}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{run.Problem,-17} {run.Method,-7} seed {run.Seed,2}: {run.Trace.Count,4} evaluations, {run.WallSeconds,6:F1} s (method {run.AskSeconds:F1} s), best value {regret:G5}  [{elapsed:mm\\:ss}]{status}");
    }
}
