using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tests.Tuner.Problems;

/// <summary>learning-curve-fixed: learning-curve's curves at a fixed 27 epochs, cost w·27/64, stopped runs partial.</summary>
public sealed class LearningCurveFixedProblemTests
{
    private static Dictionary<string, ParamValue> Point(double w, double lr) =>
        new(StringComparer.Ordinal) { ["w"] = ParamValue.FromNumber(w), ["lr"] = ParamValue.FromNumber(lr) };

    [Fact]
    public void Parameters_AreWidthAndLearningRateOnly()
    {
        Assert.Equal(["w", "lr"], new LearningCurveFixedProblem().Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData(16, 1e-4)]
    [InlineData(128, 0.01)]
    [InlineData(1024, 1.0)]
    public void Value_IsLearningCurveAt27Epochs_WrittenOut(double w, double lr)
    {
        // Oracle written out from the formula: L∞ = 0.3 + 0.25·(32/w)^0.5 + 0.3·(log₁₀ lr − log₁₀ lr*(w))²,
        // lr*(w) = 10^(−2.3 + 0.2·log₂(w/32)/3), L = L∞ + (2.5 − L∞)·28^−0.8.
        var logOptimum = -2.3 + (0.2 * Math.Log2(w / 32) / 3);
        var offset = Math.Log10(lr) - logOptimum;
        var floor = 0.3 + (0.25 * Math.Sqrt(32 / w)) + (0.3 * offset * offset);
        var expected = floor + ((2.5 - floor) * Math.Pow(28, -0.8));
        var problem = new LearningCurveFixedProblem();
        var point = Point(w, lr);

        Assert.Equal(expected, problem.NoiseFreeValue(point), 12);
        Assert.Equal(new LearningCurveProblem().NoiseFreeValue(new Dictionary<string, ParamValue>(point) { ["t"] = ParamValue.FromNumber(27) }),
            problem.NoiseFreeValue(point), 12);
        Assert.Equal(w * 27 / 64, problem.Cost(point), 12);
        var evaluation = problem.Evaluate(point, new Random(4));
        Assert.Equal(expected, evaluation.NoiseFreeValue, 12);
        Assert.Equal(w * 27 / 64, evaluation.Cost, 12);
        Assert.NotEqual(expected, evaluation.ObservedValue); // noisy
        Assert.True(Math.Abs(evaluation.ObservedValue - expected) < 0.05);
    }

    [Fact]
    public void Optimum_IsTheWidestRunAtItsLearningRate_AndNoPointBeatsIt()
    {
        var problem = new LearningCurveFixedProblem();
        Assert.Equal(problem.NoiseFreeValue(Point(1024, LearningCurveProblem.OptimalLearningRate(1024))), problem.OptimumValue, 12);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var w = Math.Round(Math.Exp(Math.Log(16) + (random.NextDouble() * Math.Log(64))));
            var lr = Math.Pow(10, -4 + (4 * random.NextDouble()));
            Assert.True(problem.NoiseFreeValue(Point(w, lr)) >= problem.OptimumValue - 1e-12);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(300)]
    [InlineData(1024)]
    public void Curve_Is27EpochsForEveryWidth_EndingAtTheFullRun(double w)
    {
        var problem = new LearningCurveFixedProblem();
        var point = Point(w, 0.003);
        var curve = problem.Curve(point, new Random(1));

        Assert.Equal(27, curve.Count);
        Assert.Equal(Enumerable.Range(1, 27).Select(e => w * e / 64), curve.Select(c => c.Cost));
        Assert.Equal(Enumerable.Range(1, 27).Select(e => LearningCurveProblem.Loss(w, e, 0.003)), curve.Select(c => c.NoiseFreeValue));
        Assert.Equal(problem.NoiseFreeValue(point), curve[^1].NoiseFreeValue, 12);
        Assert.Equal(problem.Cost(point), curve[^1].Cost, 12);
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.Second.NoiseFreeValue < p.First.NoiseFreeValue));
        Assert.Null(problem.ShortenedRun(point, 5));
    }

    [Fact]
    public void Budget_BuysAbout23FullRunsAtWidth256()
    {
        var problem = new LearningCurveFixedProblem();
        Assert.Equal(2500, problem.TotalBudget);
        Assert.InRange(problem.TotalBudget / problem.Cost(Point(256, 0.01)), 15, 30);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningCurveFixedProblem(0));
    }

    [Fact]
    public void Execute_StoppedRuns_ArePartialObservationsOfThePointAsked()
    {
        var problem = new LearningCurveFixedProblem();
        var recorder = new RecordingMethod(new LevainCarbsMethod());
        var method = new EarlyStoppingMethod(recorder, new EarlyStoppingOptions(1.0, 3.0));
        var run = SearchRun.Execute(problem, method, seed: 0, budget: 1500, maxEvaluations: 200);

        Assert.Null(run.Error);
        Assert.True(run.EarlyStopped > 0, "no run was stopped early");
        var stopped = recorder.Told.Where(e => e.IsPartial).ToList();
        Assert.Equal(run.EarlyStopped, stopped.Count);
        Assert.All(recorder.Told, e => Assert.Null(e.ShortenedRun));
        // A stopped run after e < 27 epochs costs w·e/64 with w ≤ 1024; a full run w·27/64 with a whole width w.
        Assert.All(recorder.Told.Where(e => !e.IsPartial), e => Assert.Equal(Math.Round(e.Cost * 64 / 27), e.Cost * 64 / 27, 9));
        Assert.True(stopped.Sum(e => e.Cost) < stopped.Count * 432);
    }

    /// <summary>Forwards to a real method, recording what it is told.</summary>
    private sealed class RecordingMethod(ISearchMethod inner) : ISearchMethod
    {
        public List<ProblemEvaluation> Told { get; } = [];

        public string Name => inner.Name;

        public string Description => inner.Description;

        public ISearchSession Start(ICostAwareProblem problem, int seed) => new Session(this, inner.Start(problem, seed));

        private sealed class Session(RecordingMethod method, ISearchSession inner) : ISearchSession
        {
            public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction) => inner.Ask(budgetLeft, spentFraction);

            public void Tell(ProblemEvaluation evaluation)
            {
                method.Told.Add(evaluation);
                inner.Tell(evaluation);
            }

            public IReadOnlyDictionary<string, ParamValue>? Answer() => inner.Answer();

            public void Dispose() => inner.Dispose();
        }
    }
}
