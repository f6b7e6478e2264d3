using Levain.Bench.Tuner;
using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Methods;

public sealed class EarlyStoppingMethodTests
{
    [Fact]
    public void LearningCurve_CurveEndsAtTheFullEvaluation_WithCumulativeCost()
    {
        var problem = new LearningCurveProblem();
        var point = new Dictionary<string, ParamValue> { ["w"] = ParamValue.FromNumber(128), ["t"] = ParamValue.FromNumber(9), ["lr"] = ParamValue.FromNumber(0.01) };
        var curve = problem.Curve(point, new Random(1));
        Assert.Equal(9, curve.Count);
        Assert.Equal(Enumerable.Range(1, 9).Select(e => 128.0 * e / 64), curve.Select(c => c.Cost));
        Assert.Equal(problem.NoiseFreeValue(point), curve[^1].NoiseFreeValue, 12);
        Assert.Equal(problem.Cost(point), curve[^1].Cost, 12);
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.Second.NoiseFreeValue < p.First.NoiseFreeValue)); // loss falls with epochs
    }

    [Theory]
    [InlineData("learning-curve")]
    [InlineData("exp-curve")]
    public void ShortenedRun_IsTheCompleteRunTheCurvePrefixAmountsTo(string name)
    {
        ICurveProblem problem = name == "learning-curve" ? new LearningCurveProblem() : new ExponentialCurveProblem();
        var point = new Dictionary<string, ParamValue>(problem.Parameters.ToDictionary(p => p.Name, p => ParamValue.FromNumber(p.Center ?? p.Min ?? 1.0)), StringComparer.Ordinal)
        {
            ["t"] = ParamValue.FromNumber(20),
        };
        var curve = problem.Curve(point, new Random(3));
        foreach (var units in new[] { 1, 7, 20 })
        {
            var shortened = problem.ShortenedRun(point, units) ?? throw new InvalidOperationException("no shortened run");
            Assert.Equal(units, shortened["t"].Number);
            Assert.Equal(curve[units - 1].NoiseFreeValue, problem.NoiseFreeValue(shortened), 12);
            Assert.Equal(curve[units - 1].Cost, problem.Cost(shortened), 12);
            Assert.All(problem.Parameters.Where(p => p.Name != "t"), p => Assert.Equal(point[p.Name], shortened[p.Name]));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => problem.ShortenedRun(point, 21));
        Assert.Throws<ArgumentOutOfRangeException>(() => problem.ShortenedRun(point, 0));
    }

    [Fact]
    public void Execute_WatchedAndPlainRuns_SeeTheSameValuesUntilTheFirstStop()
    {
        // Before the fix the plain method drew one noise value per run and the watching one per epoch: the two
        // diverged from the first evaluation on, so "levain" and "levain-es" were not paired.
        var problem = new LearningCurveProblem();
        var never = new EarlyStoppingMethod(new LevainCarbsMethod(), new EarlyStoppingOptions(1e9, 3.0));
        var watched = SearchRun.Execute(problem, never, seed: 2, budget: 400, maxEvaluations: 300);
        var plain = SearchRun.Execute(problem, new LevainCarbsMethod(), seed: 2, budget: 400, maxEvaluations: 300);
        Assert.Equal(0, watched.EarlyStopped);
        Assert.Equal(plain.Trace, watched.Trace);
    }

    [Fact]
    public void Execute_StoppedRun_IsObservedAsTheCompleteShorterRun()
    {
        var problem = new LearningCurveProblem();
        var recorder = new RecordingMethod();
        var method = new EarlyStoppingMethod(recorder, new EarlyStoppingOptions(1.0, 3.0, 2));
        var run = SearchRun.Execute(problem, method, seed: 0, budget: 300, maxEvaluations: 40);
        Assert.True(run.EarlyStopped > 0, "no run was stopped early");
        var stopped = recorder.Told.Where(e => e.IsPartial).ToList();
        Assert.Equal(run.EarlyStopped, stopped.Count);
        Assert.All(stopped, e =>
        {
            var shortened = Assert.IsAssignableFrom<IReadOnlyDictionary<string, ParamValue>>(e.ShortenedRun);
            Assert.Equal(e.Cost, problem.Cost(shortened), 12);
            Assert.Equal(e.NoiseFreeValue, problem.NoiseFreeValue(shortened), 12);
        });
        Assert.All(recorder.Told.Where(e => !e.IsPartial), e => Assert.Null(e.ShortenedRun));
    }

    /// <summary>
    /// Asks width 64 at lr 0.005 (good), 0.5 and 1e-4 (far off) in turn, 30 epochs (none with
    /// <paramref name="fixedLength"/>: the fixed-length problem's 27), recording what it asks and is told.
    /// </summary>
    private sealed class RecordingMethod(bool fixedLength = false) : ISearchMethod
    {
        public List<ProblemEvaluation> Told { get; } = [];

        public List<IReadOnlyDictionary<string, ParamValue>> Asked { get; } = [];

        public bool FixedLength => fixedLength;

        public string Name => "recording";

        public string Description => "recording";

        public ISearchSession Start(ICostAwareProblem problem, int seed) => new Session(this);

        private sealed class Session(RecordingMethod method) : ISearchSession
        {
            private int _n;

            public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction)
            {
                var lr = (_n++ % 3) switch { 0 => 0.005, 1 => 0.5, _ => 1e-4 };
                var point = new Dictionary<string, ParamValue> { ["w"] = 64, ["lr"] = lr };
                if (!method.FixedLength)
                {
                    point["t"] = 30;
                }
                method.Asked.Add(point);
                return point;
            }

            public void Tell(ProblemEvaluation evaluation) => method.Told.Add(evaluation);

            public void Dispose()
            {
            }
        }
    }

    [Fact]
    public void Execute_StopsSomeRunsEarly_AndTheTuneLoopGoesOn()
    {
        var problem = new LearningCurveProblem();
        var method = new EarlyStoppingMethod(new LevainCarbsMethod(), new EarlyStoppingOptions(1.0, 3.0, 3));
        var run = SearchRun.Execute(problem, method, seed: 1, budget: 1500, maxEvaluations: 300);
        var plain = SearchRun.Execute(problem, new LevainCarbsMethod(), seed: 1, budget: 1500, maxEvaluations: 300);
        Assert.Null(run.Error);
        Assert.True(run.EarlyStopped > 0, "no run was stopped early");
        Assert.Equal(0, plain.EarlyStopped);
        Assert.False(run.HitEvaluationCap);
        Assert.True(run.SpentCost <= 1500 + 1296, $"spent {run.SpentCost}");
    }

    [Fact]
    public void FractionToMatch_IsTheFirstBudgetWhereTheMedianRegretReachesTheReference()
    {
        static RunResult Run(params (double Cost, double Value)[] trace) =>
            new("p", "m", 0, [.. trace.Select(t => new TraceEntry(t.Cost, t.Value, t.Value))], trace.Sum(t => t.Cost), 0, 0, false);
        // The reference reaches regret 1.0 at the full budget 100; the candidate reaches 1.0 after spending 30.
        var reference = new[] { Run((50, 2.0), (50, 1.0)) };
        var candidate = new[] { Run((10, 3.0), (20, 1.0), (70, 0.5)) };
        Assert.Equal(0.30, TunerBenchmark.FractionToMatch(candidate, reference, 100, 0.0)!.Value, 9);
        Assert.Null(TunerBenchmark.FractionToMatch([Run((100, 5.0))], reference, 100, 0.0));
        Assert.Equal(0.30, TunerBenchmark.FractionToMatch(candidate, reference, 100, 0.0, referenceFraction: 0.5)!.Value, 9); // reference: 2.0 at 50; candidate: 3.0 until 30
    }

    [Fact]
    public void FrontDominance_StopsTheBadlyTunedRunsOfAFixedSequence_AndTheirStoppedRunsAreTheShorterRuns()
    {
        // The recording method asks w 64, t 30 at lr 0.005 (near its optimum), 0.5 and 1e-4 (far off) in turn: once the
        // good run has built the front, the far-off runs must be stopped and the good ones never.
        var problem = new LearningCurveProblem();
        var recorder = new RecordingMethod();
        var method = new EarlyStoppingMethod(recorder, null, new FrontDominanceOptions(MinCost: 1.0));
        var run = SearchRun.Execute(problem, method, seed: 0, budget: 300, maxEvaluations: 30);
        Assert.True(run.EarlyStopped >= 4, $"only {run.EarlyStopped} runs stopped");
        for (var i = 0; i < recorder.Told.Count; i++)
        {
            var told = recorder.Told[i];
            if (i % 3 == 0)
            {
                Assert.False(told.IsPartial, $"run {i} (lr 0.005, the good one) was stopped at cost {told.Cost}");
            }
            else if (i >= 3)
            {
                Assert.True(told.IsPartial, $"run {i} (lr far off) ran to its end");
                Assert.True(told.Cost < 30 * 64 / 64.0 / 2, $"run {i} stopped only at cost {told.Cost}");
                Assert.Equal(told.Cost, problem.Cost(told.ShortenedRun!), 12);
            }
        }
    }

    [Fact]
    public void FixedLength_AStoppedRunIsToldItsProjectedEnd_AtThePlannedCost_WhileTheBudgetIsChargedTheCostSpent()
    {
        // learning-curve-fixed has no complete shorter run: a stopped run used to be told the loss where it was cut.
        // Now it carries the rule's estimate of its value at its planned end and that planned cost; SearchRun charges
        // the budget with the cost actually spent.
        var problem = new LearningCurveFixedProblem();
        var recorder = new RecordingMethod(fixedLength: true);
        var method = new EarlyStoppingMethod(recorder, null, new FrontDominanceOptions(MinCost: 1.0));
        var run = SearchRun.Execute(problem, method, seed: 0, budget: 300, maxEvaluations: 30);
        Assert.True(run.EarlyStopped >= 4, $"only {run.EarlyStopped} runs stopped");
        var stopped = recorder.Told.Where(e => e.IsPartial).ToList();
        Assert.Equal(run.EarlyStopped, stopped.Count);
        var front = recorder.Told.Where(e => !e.IsPartial).Min(e => e.NoiseFreeValue);
        foreach (var (e, asked) in recorder.Told.Zip(recorder.Asked).Where(p => p.First.IsPartial))
        {
            Assert.Null(e.ShortenedRun);
            Assert.Equal(27.0, e.PlannedCost!.Value, 12); // width 64 for 27 epochs
            Assert.True(e.Cost < 27, $"stopped at cost {e.Cost}");
            var projected = e.ProjectedFinal!.Value;
            // A falling curve's projection is below its cut-off value (a rising one is held flat: within the noise);
            // a far-off learning rate's run still projects clearly worse than the good run's end.
            Assert.True(projected < e.ObservedValue + 0.05, $"projection {projected} above the cut-off value {e.ObservedValue}");
            Assert.True(projected > front + 0.05, $"projection {projected} of lr {asked["lr"].Number} is not worse than the good run's {front}");
        }
        Assert.All(recorder.Told.Where(e => !e.IsPartial), e => Assert.Null(e.ProjectedFinal));
        Assert.Equal(recorder.Told.Sum(e => e.Cost), run.SpentCost, 9);
        Assert.True(run.SpentCost < recorder.Told.Count * 27.0 - 20, "the budget was charged planned costs");
    }

    [Fact]
    public void PairedSaving_IsPerSeedFractionToReachTheSameSeedsRegret_WithABootstrapInterval()
    {
        static RunResult Run(int seed, params (double Cost, double Value)[] trace) =>
            new("p", "m", seed, [.. trace.Select(t => new TraceEntry(t.Cost, t.Value, t.Value))], trace.Sum(t => t.Cost), 0, 0, false);
        // Seed 0: the reference reaches 1.0 at 100; the candidate at 30 (fraction 0.3). Seed 1: reference 1.0 at 100,
        // candidate at 60. Seed 2: the candidate never reaches the reference's 0.5.
        var reference = new[] { Run(0, (50, 2.0), (50, 1.0)), Run(1, (50, 2.0), (50, 1.0)), Run(2, (100, 0.5)) };
        var candidate = new[] { Run(0, (30, 1.0), (70, 0.9)), Run(1, (60, 1.0), (40, 3.0)), Run(2, (100, 0.6)) };
        var saving = TunerBenchmark.PairedSavingOf(candidate, reference, 100, 0.0, 1.0);
        Assert.Equal([0, 1, 2], saving.Seeds);
        Assert.Equal(0.3, saving.Fractions[0]!.Value, 9);
        Assert.Equal(0.6, saving.Fractions[1]!.Value, 9);
        Assert.Null(saving.Fractions[2]);                       // never within the budget
        Assert.Equal(0.4, saving.MedianSaved!.Value, 9);        // median fraction 0.6 → 40 % saved
        Assert.True(saving.SavedLow is null || saving.SavedLow <= saving.MedianSaved);
        Assert.Equal(0.7, saving.SavedHigh!.Value, 9);          // best resample: every seed is seed 0
        // At half the budget the reference has 2.0: seed 0 reaches it at 30 (of the reference's 50: 40 % saved).
        Assert.Equal(0.3, TunerBenchmark.PairedSavingOf(candidate, reference, 100, 0.0, 0.5).Fractions[0]!.Value, 9);
    }

    [Fact]
    public void DominanceOracle_StopsExactlyTheRunsWhoseFinishedValueAnEarlierRunDominates_AtTheirThirdPoint()
    {
        // Fixed sequence lr 0.005 (good), 0.5, 1e-4 (far off), all w 64, t 30: from the second run on, every far-off run
        // would end dominated by the first good one; the good runs never are (equal cost, equal value: the repeat is
        // dominated too — noise-free, the same point).
        var problem = new LearningCurveProblem();
        var recorder = new RecordingMethod();
        var run = SearchRun.Execute(problem, new DominanceOracleMethod(recorder), seed: 0, budget: 300, maxEvaluations: 9);
        Assert.Equal(9, recorder.Told.Count);
        Assert.False(recorder.Told[0].IsPartial); // nothing completed before it
        for (var i = 1; i < 9; i++)
        {
            var told = recorder.Told[i];
            Assert.True(told.IsPartial, $"run {i} ran to its end");
            Assert.Equal(3.0, told.Cost, 12); // the third epoch of a width-64 run: cost 3
        }
        Assert.Equal(8, run.EarlyStopped);
    }
}
