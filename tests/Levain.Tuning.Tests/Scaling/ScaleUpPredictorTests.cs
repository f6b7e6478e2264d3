using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Scaling;

/// <summary>
/// Scale-up on a Chinchilla-form study with the known law (Hoffmann et al. 2022's fit: L = E + A/N^α + B/D^β, E = 1.69,
/// A = 406.4, B = 410.7, α = 0.34, β = 0.28) plus a learning-rate optimum that moves with model size.
/// </summary>
public sealed class ScaleUpPredictorTests
{
    private const double E = 1.69, A = 406.4, B = 410.7, Alpha = 0.34, Beta = 0.28;

    private static double OptimalLr(double n) => 3e-3 * Math.Pow(n / 1e7, -0.3);

    private static double Loss(double n, double d, double lr)
    {
        var offset = Math.Log10(lr) - Math.Log10(OptimalLr(n));
        return E + (A / Math.Pow(n, Alpha)) + (B / Math.Pow(d, Beta)) + (0.08 * offset * offset);
    }

    /// <summary>Cost in units of 10¹⁵ FLOPs: 6·N·D / 10¹⁵.</summary>
    private static double Cost(double n, double d) => 6 * n * d / 1e15;

    /// <summary>The compute-optimal model size and loss at a cost: minimise over ln N with D = C/(6N) and lr at its optimum.</summary>
    private static (double N, double Loss) ComputeOptimal(double cost)
    {
        double best = double.PositiveInfinity, bestN = 0;
        for (var logN = Math.Log(1e4); logN < Math.Log(1e12); logN += 0.001)
        {
            var n = Math.Exp(logN);
            var loss = Loss(n, cost * 1e15 / (6 * n), OptimalLr(n));
            if (loss < best)
            {
                (best, bestN) = (loss, n);
            }
        }
        return (bestN, best);
    }

    private static SearchSpace Space() => new(
    [
        ParameterSpec.Log("n", center: 1e7, min: 1e6, max: 1e9, scale: 1.0),
        ParameterSpec.Log("d", center: 1e9, min: 1e8, max: 1e11, scale: 1.0),
        ParameterSpec.Log("lr", center: 3e-3, min: 1e-4, max: 1e-1, scale: 1.0),
    ]);

    /// <summary>A study the tuner ran: 90 trials with observation noise N(0, 0.005²).</summary>
    private static List<Observation> Study() => Study(seed: 3, trials: 90, sigma: 0.005);

    /// <summary>A study the tuner ran with the given seed, number of trials and observation noise N(0, σ²).</summary>
    private static List<Observation> Study(int seed, int trials, double sigma)
    {
        var tuner = new CarbsTuner(Space(), new CarbsOptions { Seed = seed, NumRandomSamples = 8 });
        var noise = new Random(seed);
        for (var i = 0; i < trials; i++)
        {
            var s = tuner.Suggest()[0];
            double n = s.Parameters["n"].Number, d = s.Parameters["d"].Number, lr = s.Parameters["lr"].Number;
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - noise.NextDouble())) * Math.Cos(2 * Math.PI * noise.NextDouble());
            tuner.Observe(new Observation(s.Parameters, Loss(n, d, lr) + (sigma * gaussian), Cost(n, d), SuggestionId: s.Id));
        }
        return [.. tuner.Observations];
    }

    [Fact]
    public void Predict_ChinchillaStudyAt10x_MatchesTheKnownLaw()
    {
        var observations = Study();
        var prediction = ScaleUpPredictor.Predict(Space(), observations, Direction.Minimize, factor: 10, bootstrapSamples: 120, seed: 1);
        Assert.NotNull(prediction);
        var (trueN, trueLoss) = ComputeOptimal(prediction.TargetCost);
        var metric = prediction.Metric;
        Assert.True(Math.Abs(metric.Predicted - trueLoss) / trueLoss <= 0.03, $"loss {metric.Predicted} vs {trueLoss}");
        Assert.InRange(trueLoss, metric.Lower, metric.Upper);
        Assert.True(metric.Predicted > E - 0.05, "the saturating law keeps the loss near or above the irreducible one");
        Assert.Equal(ScaleUpPredictor.SurrogateMethod, metric.Method);
        Assert.InRange(trueLoss, metric.FrontLine!.Lower, metric.FrontLine.Upper);
        var n = prediction.Parameters.Single(p => p.Name == "n");
        Assert.InRange(n.Predicted / trueN, 1 / 1.5, 1.5);
        var lr = prediction.Parameters.Single(p => p.Name == "lr");
        Assert.InRange(lr.Predicted / OptimalLr(trueN), 0.5, 2.0);
        Assert.True(lr.Upper / lr.Lower < 10, $"lr interval [{lr.Lower}, {lr.Upper}]");
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("Extrapolating", StringComparison.Ordinal));
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("times that span", StringComparison.Ordinal));
        Assert.Equal(ScaleUpPredictor.SurrogateMethod, lr.Method);
        Assert.InRange(OptimalLr(trueN), lr.Lower, lr.Upper);
        Assert.InRange(trueN, n.Lower, n.Upper);
        // A run at exactly the recommended settings: the output model's interval holds its true loss, and the model
        // expects it to beat every trial.
        var d = prediction.Parameters.Single(p => p.Name == "d");
        var atSettings = Loss(n.Predicted, d.Predicted, lr.Predicted);
        Assert.InRange(atSettings, prediction.AtSettings!.Lower, prediction.AtSettings.Upper);
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("does not expect", StringComparison.Ordinal));
    }

    /// <summary>
    /// The metric's law through the surrogate's predicted front against the law through the observed Pareto points, on
    /// six noisy studies (σ = 0.1, 60 trials each; the observed front is a selection of noisy extremes): the predicted
    /// front's law is closer to the compute-optimal loss at 10x, and its interval, whose replicates draw the front's
    /// heights from their output model's posterior, covers it. Measured over 30 seeds each of 30, 60 and 90 trials and
    /// σ = 0.005, 0.03 and 0.1: median error 0.3–3.2 % against 0.9–7.4 %, coverage 28–30 of 30 (docs/tuner.md).
    /// </summary>
    [Fact]
    public void Predict_NoisyChinchillaStudies_TheMetricThroughThePredictedFrontIsCloser_AndItsIntervalCovers()
    {
        var surrogateErrors = new List<double>();
        var frontLineErrors = new List<double>();
        var covered = 0;
        var coveredAtSettings = 0;
        for (var seed = 1; seed <= 6; seed++)
        {
            var prediction = ScaleUpPredictor.Predict(Space(), Study(seed, trials: 60, sigma: 0.1), Direction.Minimize, factor: 10, bootstrapSamples: 60, seed: seed, metricBound: 0);
            Assert.NotNull(prediction);
            var metric = prediction.Metric;
            Assert.Equal(ScaleUpPredictor.SurrogateMethod, metric.Method);
            Assert.Equal(metric.Predicted, metric.Surrogate!.Predicted);
            var (_, trueLoss) = ComputeOptimal(prediction.TargetCost);
            surrogateErrors.Add(Math.Abs(metric.Predicted - trueLoss) / trueLoss);
            frontLineErrors.Add(Math.Abs(metric.FrontLine!.Predicted - trueLoss) / trueLoss);
            covered += trueLoss >= metric.Lower && trueLoss <= metric.Upper ? 1 : 0;
            double Setting(string name) => prediction.Parameters.Single(p => p.Name == name).Predicted;
            var atSettings = Loss(Setting("n"), Setting("d"), Setting("lr"));
            coveredAtSettings += atSettings >= prediction.AtSettings!.Lower && atSettings <= prediction.AtSettings.Upper ? 1 : 0;
            TestContext.Current.TestOutputHelper?.WriteLine($"  at the settings: true {atSettings:G4}, model {prediction.AtSettings.Predicted:G4} [{prediction.AtSettings.Lower:G4}, {prediction.AtSettings.Upper:G4}]");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"seed {seed}: truth {trueLoss:G4}, surrogate {metric.Predicted:G4} [{metric.Lower:G4}, {metric.Upper:G4}], front line {metric.FrontLine.Predicted:G4} [{metric.FrontLine.Lower:G4}, {metric.FrontLine.Upper:G4}]");
        }
        double Median(List<double> v) => v.Order().Skip(2).Take(2).Average();
        Assert.True(Median(surrogateErrors) < Median(frontLineErrors), $"median error: surrogate {Median(surrogateErrors):P2}, front line {Median(frontLineErrors):P2}");
        Assert.True(Median(surrogateErrors) < 0.04, $"surrogate median error {Median(surrogateErrors):P2}");
        Assert.True(covered >= 5, $"the interval covered the compute-optimal loss in {covered} of 6 studies");
        Assert.True(coveredAtSettings >= 5, $"the output model's interval at the settings held their true loss in {coveredAtSettings} of 6 studies");
    }

    [Fact]
    public void Predict_Beyond10x_WarnsAndRoundsIntegers()
    {
        var space = new SearchSpace([ParameterSpec.Log("layers", center: 8, min: 2, max: 64, isInteger: true), ParameterSpec.Log("lr", center: 1e-3, min: 1e-5, max: 1e-1)]);
        var observations = new List<Observation>();
        var rng = new Random(2);
        foreach (var layers in new[] { 2, 3, 4, 6, 8, 12, 16, 24, 32 })
        {
            foreach (var lr in new[] { 3e-4, 1e-3, 3e-3 })
            {
                var cost = layers * 10.0;
                var loss = 2.0 + (3.0 * Math.Pow(cost, -0.5)) + (0.05 * Math.Pow(Math.Log10(lr / 1e-3), 2)) + (0.002 * rng.NextDouble());
                observations.Add(new Observation(new Dictionary<string, ParamValue> { ["layers"] = layers, ["lr"] = lr }, loss, cost));
            }
        }
        var prediction = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 100, bootstrapSamples: 50);
        Assert.NotNull(prediction);
        Assert.Contains(prediction.Warnings, w => w.Contains("Extrapolating", StringComparison.Ordinal));
        var layersPrediction = prediction.Parameters.Single(p => p.Name == "layers");
        Assert.Equal(Math.Round(layersPrediction.Predicted), layersPrediction.Predicted);
        Assert.Equal(Math.Round(layersPrediction.Lower), layersPrediction.Lower);
        Assert.True(prediction.Metric.Predicted > 2.0 - 0.01, $"floor respected: {prediction.Metric.Predicted}");
        Assert.InRange(prediction.Metric.Law.Exponent, 0.3, 0.7);
        Assert.True(prediction.Metric.Law.ShowsSaturation);
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("no saturation", StringComparison.Ordinal));
    }

    [Fact]
    public void Predict_LogIntegerExtrapolatedBelowHalf_RoundsToOneStepNotZero()
    {
        // Like the demo's study of 2026-12-07 (session 3): depth falls along the front, and 100x beyond the line in ln cost
        // reaches a value under 0.5, which plain rounding printed as depth = 0 (and --launch would have run).
        var space = new SearchSpace([ParameterSpec.Log("depth", center: 2, min: 1, max: 6, isInteger: true)]);
        var observations = new List<Observation>();
        foreach (var (depth, cost) in new[] { (6, 1e11), (5, 2e11), (4, 4e11), (3, 8e11), (2, 1.6e12) })
        {
            observations.Add(new Observation(new Dictionary<string, ParamValue> { ["depth"] = depth }, 3.0 * Math.Pow(cost / 1e11, -0.2), cost));
        }
        var prediction = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 100, bootstrapSamples: 20, useSurrogate: false)!;

        var predicted = prediction.Parameters.Single(p => p.Name == "depth");
        // ln depth falls by about 0.4 per unit of ln cost, so 100x beyond the dearest point the line gives depth ≈ 0.3
        Assert.Equal(1.0, predicted.Predicted);
        Assert.True(predicted.Lower >= 1.0, $"lower {predicted.Lower}");
    }

    [Fact]
    public void Predict_SteepTrendOverANarrowCostRange_FlagsAValueFarOutsideTheBounds_ButNotOneJustOutside()
    {
        // Like the demo's study of 2026-12-07 (session 4): the front spans 1.6x in cost while lr rises ninefold along it;
        // 10x beyond, the line gives lr ≈ 10², four decades above a box two decades wide.
        var space = new SearchSpace([ParameterSpec.Log("lr", center: 1e-3, min: 1e-4, max: 1e-2)]);
        var observations = new List<Observation>();
        foreach (var (lr, cost) in new[] { (1e-3, 1.0e11), (2e-3, 1.15e11), (3.5e-3, 1.3e11), (5e-3, 1.45e11), (9e-3, 1.6e11) })
        {
            observations.Add(new Observation(new Dictionary<string, ParamValue> { ["lr"] = lr }, 3.0 * Math.Pow(cost / 1e11, -0.2), cost));
        }

        var far = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20, useSurrogate: false)!.Parameters.Single();
        Assert.True(far.Predicted > 1.0, $"lr {far.Predicted}");
        Assert.True(far.IsOutsideBounds);
        Assert.True(far.IsFarOutsideBounds);
        var warnings = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20, useSurrogate: false)!.Warnings;
        Assert.Contains(warnings, w => w.Contains("further beyond them than they are wide: the Pareto front spans 1.6x in cost", StringComparison.Ordinal));

        // 1.5x beyond: lr ≈ 0.05, outside the box by less than its width.
        var near = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 1.5, bootstrapSamples: 20, useSurrogate: false)!.Parameters.Single();
        Assert.True(near.IsOutsideBounds, $"lr {near.Predicted}");
        Assert.False(near.IsFarOutsideBounds, $"lr {near.Predicted}");
    }

    /// <summary>The demo's search space (lr, width, depth, steps) and its scale-up at 10x of stored trials (lr, width, depth, steps, nll_correct, FLOPs).</summary>
    private static ScaleUpPrediction DemoScaleUp((double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] trials)
    {
        var space = new SearchSpace(LaunchedDemos.Parameters);
        var observations = trials.Select(t => new Observation(LaunchedDemos.Settings(t), t.Output, t.Cost)).ToList();
        return ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, metricBound: 0.0)!;
    }

    /// <summary>What the recommended settings really cost: the trainer's FLOPs count (the known law) at them, over the target.</summary>
    private static double TrueCostShare(ScaleUpPrediction prediction)
    {
        double Setting(string name) => prediction.Parameters.Single(p => p.Name == name).Predicted;
        return PolynomialCostTests.TrainerFlops(Setting("width"), Setting("depth"), Setting("steps")) / prediction.TargetCost;
    }

    [Fact]
    public void Predict_TheDemoOf20261207_TakesTheFrontLineWhereTheSurrogateIntervalSpansDecades()
    {
        // The 27 trials of the demo of 2026-12-07 (session 4), as stored: lr, width, depth, steps, nll_correct, FLOPs. Its
        // front has 3 points over a 1.65x cost range; the surrogate's line put lr at about 10² at 10x (interval 3e-6 to 1e5).
        (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] trials =
        [
        (0.00103843, 48, 2, 800, 2.680625, 3.99429e+11), (0.0271891, 16, 3, 2000, 2.587949, 2.47333e+11), (0.00230405, 72, 1, 2300, 1.555758, 1.28605e+12),
        (0.00588144, 208, 6, 200, 2.860003, 4.11015e+12), (0.0137043, 32, 1, 950, 2.595444, 1.46434e+11), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11),
        (0.00182788, 64, 1, 3350, 2.1132, 1.53858e+12), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11), (0.00240268, 56, 1, 1900, 2.211135, 7.0079e+11),
        (0.00318416, 40, 1, 2000, 2.576203, 4.32538e+11), (0.00215623, 80, 1, 2550, 1.528969, 1.70459e+12), (0.00258328, 56, 1, 2400, 1.562799, 8.85208e+11),
        (0.0237907, 24, 1, 5600, 1.467887, 5.68118e+11), (0.00214441, 88, 1, 2500, 1.468329, 1.96805e+12), (0.0269055, 16, 1, 5900, 1.835377, 3.43356e+11),
        (0.0244355, 16, 1, 5750, 2.274016, 3.34627e+11), (0.0170293, 24, 1, 5000, 1.653814, 5.07249e+11), (0.022575, 24, 1, 4150, 1.547476, 4.21016e+11),
        (0.0243194, 24, 1, 4400, 2.807212, 4.46379e+11), (0.0289277, 32, 1, 5050, 1.68364, 7.7841e+11), (0.0222396, 24, 1, 5700, 2.850306, 5.78263e+11),
        (0.0256555, 32, 1, 5500, 2.509936, 8.47774e+11), (0.0249171, 24, 1, 4100, 2.044979, 4.15944e+11), (0.0223438, 24, 1, 5550, 2.313024, 5.63046e+11),
        (0.0240418, 32, 1, 7700, 1.531787, 1.18688e+12), (0.0239009, 24, 1, 5350, 2.499336, 5.42756e+11), (0.0020977, 104, 1, 2000, 1.740198, 2.10606e+12)
        ];
        var prediction = DemoScaleUp(trials);

        var lr = prediction.Parameters.Single(p => p.Name == "lr");
        Assert.True(lr.Surrogate!.Predicted > 1.0, $"the surrogate's lr {lr.Surrogate.Predicted}"); // what it would have recommended
        Assert.Equal(ScaleUpPredictor.FrontLineMethod, lr.Method);
        Assert.InRange(lr.Predicted, 3e-4, 3e-2);
        Assert.All(prediction.Parameters, p => Assert.False(p.IsFarOutsideBounds, $"{p.Name} = {p.Predicted}"));
        Assert.Contains(prediction.Warnings, w => w.Contains("bends as sharply as it can", StringComparison.Ordinal));
        Assert.Contains(prediction.Warnings, w => w.Contains("spans 1.65x in cost and the target lies 10x beyond it, 4.6 times that span", StringComparison.Ordinal));
        // FLOPs are nearly log-linear in the four parameters. Read at the target, the laws' settings were predicted to
        // cost 1.8x it (b8356dd); read where the cost fit says they cost the target, they do, up to rounding.
        Assert.True(prediction.PredictedCostRSquared > 0.95, $"R² {prediction.PredictedCostRSquared}");
        Assert.True(prediction.IsCostMatched);
        Assert.InRange(prediction.LawCost / prediction.TargetCost, 0.3, 0.8);
        Assert.InRange(prediction.PredictedCost!.Value / prediction.TargetCost, 0.8, 1.25);
        // The trials' FLOPs are the trainer's count, a sum of width·steps, depth·width·steps and depth·width²·steps terms:
        // the polynomial prices the settings exactly, where ln cost linear in the parameters said 1.03x for settings that
        // really cost 0.91x.
        Assert.Equal("polynomial", prediction.PredictedCostModel);
        Assert.Equal(TrueCostShare(prediction), prediction.PredictedCost!.Value / prediction.TargetCost, 1e-4);
        Assert.InRange(TrueCostShare(prediction), 0.95, 1.05);
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("predicted to cost", StringComparison.Ordinal));
    }

    /// <summary>
    /// Two demos whose 10x recommendations were launched (2026-12-07 and the evening of 2026-12-07), their trials as
    /// stored before the launch. The first launch (lr 0.0040, width 64, depth 1, 30,650 steps) scored 0.366, the second
    /// (lr 0.0051, width 184, depth 1, 5,850 steps) 1.484, worse than its study's best trial (0.766) and outside the
    /// metric law's interval: the law says what the front reaches if the settings lie on it, and the second's did not.
    /// The output model's prediction for one run at exactly the settings covers both outcomes, and on the second it
    /// warns before the launch that the settings are not expected to beat the best trial.
    /// </summary>
    [Fact]
    public void Predict_TheTwoLaunchedDemos_TheOutputModelAtTheSettingsCoversBoth_AndWarnsWhereTheLaunchFailed()
    {
        var (good, failed) = (LaunchedDemos.Good, LaunchedDemos.Failed);
        const string NotExpected = "does not expect the recommended settings to beat the best trial";
        foreach (var (trials, launched) in new[] { (good, 0.36621), (failed, 1.4838) })
        {
            var prediction = DemoScaleUp(trials);
            var at = prediction.AtSettings!;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"law {prediction.Metric.Predicted:G4} [{prediction.Metric.Lower:G4}, {prediction.Metric.Upper:G4}], at the settings {at.Predicted:G4} [{at.Lower:G4}, {at.Upper:G4}], launched {launched}; " +
                string.Join(", ", prediction.Parameters.Select(p => $"{p.Name} {p.Predicted:G4}")));
            Assert.InRange(launched, at.Lower, at.Upper);
            Assert.True(at.Lower <= at.Predicted && at.Predicted <= at.Upper && at.StdDev > 0);
        }
        var first = DemoScaleUp(good);
        Assert.DoesNotContain(first.Warnings, w => w.Contains(NotExpected, StringComparison.Ordinal));
        var second = DemoScaleUp(failed);
        Assert.Contains(second.Warnings, w => w.Contains(NotExpected, StringComparison.Ordinal));
        Assert.True(second.AtSettings!.Predicted > 0.766435, "the model expects the settings to do worse than the best trial");
        Assert.True(second.Metric.Upper < 1.4838, "the law's interval missed the launched run: it assumes settings on the front");
        // The warning names the largest smaller factor the model expects to beat the best trial, with its prediction.
        Assert.Null(first.SmallerFactor);
        Assert.False(first.IsNotExpectedToBeatBestTrial);
        Assert.True(second.IsNotExpectedToBeatBestTrial);
        var smaller = second.SmallerFactor!;
        TestContext.Current.TestOutputHelper?.WriteLine($"smaller factor {smaller}; {second.Warnings.Single(w => w.Contains(NotExpected, StringComparison.Ordinal))}");
        Assert.InRange(smaller.Factor, 1.5, 7);
        Assert.True(smaller.Predicted < second.AtSettings.Predicted && smaller.Lower <= smaller.Predicted && smaller.Predicted <= smaller.Upper);
        Assert.Contains(second.Warnings, w => w.Contains($"the largest the model expects to beat the best trial is {smaller.Factor:G3}x", StringComparison.Ordinal));
        Assert.Contains(second.Warnings, w => w.Contains($"--factor {smaller.Factor:G3})", StringComparison.Ordinal));
    }

    /// <summary>
    /// The warning is advice, not a verdict: on the third launched demo it fired at 10x and no smaller factor from 1.5x
    /// up was expected to beat the best trial (0.855), yet the 10x run scored 0.597, inside the model's interval at the
    /// settings. Ten times beyond a front spanning 1.59x, the model's mean has fallen back toward the trials' average.
    /// </summary>
    [Fact]
    public void Predict_TheThirdLaunchedDemo_WarnsWithNoSmallerFactor_AndItsLaunchBeatTheBestTrialInsideTheInterval()
    {
        var prediction = DemoScaleUp(LaunchedDemos.Warned);
        var warning = Assert.Single(prediction.Warnings, w => w.StartsWith(ScaleUpPredictor.NotExpectedToBeatWarning, StringComparison.Ordinal));
        Assert.True(prediction.IsNotExpectedToBeatBestTrial);
        Assert.Null(prediction.SmallerFactor);
        Assert.Contains("the model expects no factor from 1.5x up to beat the best trial", warning, StringComparison.Ordinal);
        // Launched, the run scored 0.597, better than the best trial's 0.855 that the model expected it to lose to.
        const double Launched = 0.59657;
        Assert.InRange(Launched, prediction.AtSettings!.Lower, prediction.AtSettings.Upper);
        Assert.InRange(Launched, prediction.Metric.Lower, prediction.Metric.Upper);
        Assert.True(prediction.AtSettings.Predicted > LaunchedDemos.Warned.Min(t => t.Output), $"the model at the settings {prediction.AtSettings.Predicted}");
    }

    [Fact]
    public void Predict_TheSecondDemoOf20261207_ReadsTheLawsWhereTheRoundedSettingsCostTheTarget()
    {
        // The 31 trials of the demo of 2026-12-07 (session 5), as stored: lr, width, depth, steps, nll_correct, FLOPs. Its
        // front falls from depth 3 at the cheap end to 1, so depth's law goes below one step at 10x and is held at 1:
        // the laws read where their unrounded settings cost the target gave settings costing 4.8x it.
        (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] trials =
        [
        (0.00103843, 48, 2, 800, 2.680625, 3.99429e+11), (0.0271891, 16, 3, 2000, 2.587949, 2.47333e+11), (0.00230405, 72, 1, 2300, 1.555758, 1.28605e+12),
        (0.00588144, 208, 6, 200, 2.860003, 4.11015e+12), (0.0137043, 32, 1, 950, 2.595444, 1.46434e+11), (0.014871, 32, 1, 2050, 2.428619, 3.15988e+11),
        (0.01532, 24, 1, 3050, 2.641658, 3.09422e+11), (0.00233503, 40, 1, 2900, 2.655815, 6.2718e+11), (0.00218296, 40, 1, 1650, 2.531451, 3.56844e+11),
        (0.0183563, 16, 3, 2350, 1.997436, 2.90616e+11), (0.00225711, 56, 1, 2200, 2.041162, 8.11441e+11), (0.00241087, 56, 1, 2250, 1.850125, 8.29882e+11),
        (0.00254134, 64, 1, 2400, 1.809105, 1.10226e+12), (0.0023977, 48, 1, 2350, 2.572325, 6.7641e+11), (0.00337795, 64, 1, 2300, 2.086795, 1.05634e+12),
        (0.00296404, 64, 1, 1950, 2.510041, 8.95589e+11), (0.00217933, 72, 1, 1450, 2.383609, 8.10772e+11), (0.0183563, 16, 3, 2350, 1.997436, 2.90616e+11),
        (0.00192909, 80, 1, 2550, 1.607027, 1.70459e+12), (0.00232464, 64, 1, 2250, 1.637077, 1.03337e+12), (0.0022884, 64, 1, 2250, 1.447397, 1.03337e+12),
        (0.00138331, 88, 1, 1950, 1.934767, 1.53508e+12), (0.00127969, 72, 1, 2100, 2.436361, 1.17422e+12), (0.00209102, 56, 1, 2850, 1.607961, 1.05118e+12),
        (0.00226008, 64, 1, 2150, 1.678096, 9.87444e+11), (0.00227424, 64, 1, 2000, 1.706686, 9.18553e+11), (0.00213103, 80, 1, 1800, 1.991887, 1.20324e+12),
        (0.00217533, 80, 1, 2100, 1.764483, 1.40378e+12), (0.00204232, 56, 1, 3600, 1.409653, 1.32781e+12), (0.00217911, 72, 1, 2850, 1.51146, 1.59359e+12),
        (0.00214041, 48, 1, 4250, 1.626607, 1.22329e+12)
        ];
        var prediction = DemoScaleUp(trials);

        Assert.Equal(1.0, prediction.Parameters.Single(p => p.Name == "depth").Predicted);
        Assert.True(prediction.IsCostMatched);
        Assert.InRange(prediction.LawCost / prediction.TargetCost, 0.2, 0.5);
        Assert.True(prediction.PredictedCostRSquared > 0.95, $"R² {prediction.PredictedCostRSquared}");
        Assert.InRange(prediction.PredictedCost!.Value / prediction.TargetCost, 0.9, 1.1);
        Assert.DoesNotContain(prediction.Warnings, w => w.Contains("predicted to cost", StringComparison.Ordinal));
        // Priced by ln cost linear in the parameters the settings were width 240, 3,300 steps, "1.00x", and the run
        // launched from them cost 1.20x the target (measured 2026-12-07, the same as the trainer's count gives); the
        // polynomial is the trainer's count, so what it prices is what the run costs.
        Assert.Equal("polynomial", prediction.PredictedCostModel);
        Assert.Equal("7.373E+04·width²·depth·steps + 1.591E+06·width·steps + 8.663E+05·width·depth·steps + 4 terms under 0.1 %", prediction.PredictedCostFormula);
        Assert.Equal(TrueCostShare(prediction), prediction.PredictedCost!.Value / prediction.TargetCost, 1e-4);
        Assert.InRange(TrueCostShare(prediction), 0.95, 1.05);
    }

    [Fact]
    public void Predict_RecommendationsCost_IsTheTrialsCostLawAtTheSettings_ReadWhereTheRoundedSettingsCostTheTarget()
    {
        // cost = width²·steps exactly; along the front width doubles and steps halve at each doubling of cost (base: 256
        // and 4,000). At 2x the per-parameter lines agree with the target. At 100x steps would be 40, which rounds up to
        // one step of 1,000, so read at the target the settings cost 25x it; with steps held at 1,000 they cost the
        // target where width is 20x its base, 5,120 (the laws read at 0.2x the target). At 10⁴x that point lies 50x
        // below the target, beyond the 10x window: read at its edge, the settings still cost 25x the target.
        var space = new SearchSpace(
        [
            ParameterSpec.Log("width", center: 64, min: 8, max: 100_000, isInteger: true),
            ParameterSpec.Log("steps", center: 16_000, min: 1_000, max: 100_000, isInteger: true, rounding: 1_000),
        ]);
        var observations = new List<Observation>();
        foreach (var (width, steps) in new[] { (16, 64_000), (32, 32_000), (64, 16_000), (128, 8_000), (256, 4_000) })
        {
            double cost = (double)width * width * steps;
            observations.Add(new Observation(new Dictionary<string, ParamValue> { ["width"] = width, ["steps"] = steps }, 3.0 * Math.Pow(cost, -0.1), cost));
        }
        // Two dominated trials off the front's line: along it width and steps are collinear, and only trials elsewhere
        // say how each one alone moves the cost.
        foreach (var (width, steps) in new[] { (16, 8_000), (128, 64_000) })
        {
            double cost = (double)width * width * steps;
            observations.Add(new Observation(new Dictionary<string, ParamValue> { ["width"] = width, ["steps"] = steps }, 10.0, cost));
        }

        var near = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 2, bootstrapSamples: 20, useSurrogate: false)!;
        Assert.Equal(near.TargetCost, near.PredictedCost!.Value, near.TargetCost * 1e-4);
        Assert.Equal(1.0, near.PredictedCostRSquared!.Value, 1e-9);
        Assert.False(near.IsCostMatched);
        Assert.DoesNotContain(near.Warnings, w => w.Contains("predicted to cost", StringComparison.Ordinal));

        var far = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 100, bootstrapSamples: 20, useSurrogate: false)!;
        Assert.Equal(1_000, far.Parameters.Single(p => p.Name == "steps").Predicted);
        Assert.InRange(far.Parameters.Single(p => p.Name == "width").Predicted, 5_060, 5_180); // 5,120 to the grid's step and rounding
        Assert.InRange(far.PredictedCost!.Value / far.TargetCost, 0.98, 1.02);
        Assert.InRange(far.LawCost / far.TargetCost, 0.19, 0.21);
        Assert.DoesNotContain(far.Warnings, w => w.Contains("predicted to cost", StringComparison.Ordinal));

        var beyond = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 1e4, bootstrapSamples: 20, useSurrogate: false)!;
        var w = beyond.Parameters.Single(p => p.Name == "width").Predicted;
        Assert.Equal(1_000, beyond.Parameters.Single(p => p.Name == "steps").Predicted);
        Assert.Equal(w * w * 1_000, beyond.PredictedCost!.Value, w * w * 1e-1);
        Assert.Equal(0.1, beyond.LawCost / beyond.TargetCost, 1e-9);
        Assert.Contains(beyond.Warnings, w => w.Contains("predicted to cost", StringComparison.Ordinal) && w.Contains("25x the target", StringComparison.Ordinal)
            && w.Contains("(0.1x the target)", StringComparison.Ordinal));
    }

    [Fact]
    public void MatchedLogCost_ReadsTheLawsWhereTheirSettingsCostTheTarget_AndRefusesWhatItCannotSupport()
    {
        // ln cost = 1 + 2·w + s (basic units); along the laws w = 0.45·ln C and s = 0.1·ln C it is 1 + 1.0·ln C, so their
        // settings cost the target e¹⁰ where ln C = 9: read at the target itself they would cost e¹¹, e times too much.
        var fit = new RecommendedCost.Fit(["w", "s"], [1.0, 2.0, 1.0], 0.99);
        var laws = new Dictionary<string, (double Intercept, double Slope)> { ["w"] = (0.0, 0.45), ["s"] = (0.0, 0.1) };
        Assert.Equal(9.0, RecommendedCost.MatchedLogCost(fit, laws, 10.0)!.Value, 1e-12);
        var at = new Dictionary<string, double> { ["w"] = 0.45 * 9.0, ["s"] = 0.1 * 9.0 };
        Assert.Equal(10.0, fit.LogCostAt(at), 1e-12);
        // A fit that explains too little, a law the fit does not cover, laws that barely move the cost.
        Assert.Null(RecommendedCost.MatchedLogCost(fit with { RSquared = 0.8 }, laws, 10.0));
        Assert.Null(RecommendedCost.MatchedLogCost(fit, new Dictionary<string, (double, double)>(laws) { ["lr"] = (0.0, 0.1) }, 10.0));
        Assert.Null(RecommendedCost.MatchedLogCost(fit, new Dictionary<string, (double, double)> { ["w"] = (0.0, 0.05), ["s"] = (0.0, 0.1) }, 10.0));
        // A match beyond 10x (ln C = 3.3) is read at the edge of the window, ln 10 below the target.
        Assert.Equal(10.0 - Math.Log(10.0), RecommendedCost.MatchedLogCost(fit, new Dictionary<string, (double, double)> { ["w"] = (2.0, 0.5), ["s"] = (0.0, 0.5) }, 10.0)!.Value, 1e-9);
        // Rounding: s is an integer held at one step (basic 0) whenever its law falls below it, and its law falls (slope
        // −0.1), so the closed form (ln C = 9 before rounding, where s = −0.9) prices at 1 + 2·0.55·9 = 10.9; the rounded
        // settings cost the target where 1 + 1.1·ln C = 10, ln C = 8.18 (to the grid's step, ln 10 / 200).
        var falling = new Dictionary<string, (double Intercept, double Slope)> { ["w"] = (0.0, 0.55), ["s"] = (0.0, -0.1) };
        Assert.Equal(9.0, RecommendedCost.MatchedLogCost(fit, falling, 10.0)!.Value, 1e-9);
        var rounded = RecommendedCost.MatchedLogCost(fit, falling, 10.0, (name, basic) => name == "s" ? Math.Max(basic, 0.0) : basic)!.Value;
        Assert.Equal(9.0 / 1.1, rounded, Math.Log(10.0) / RecommendedCost.MatchGridPoints);
    }

    [Theory]
    [InlineData(0.5, false)]    // inside
    [InlineData(0.1, false)]    // one decade above a two-decade box
    [InlineData(1.5, true)]     // more than two decades above
    [InlineData(2e-7, true)]    // more than two decades below
    [InlineData(2e-6, false)]   // 1.7 decades below
    public void IsFarOutside_ComparesTheDistanceBeyondABoundWithTheBoxWidth_InBasicUnits(double value, bool far)
    {
        var spec = ParameterSpec.Log("lr", center: 1e-3, min: 1e-4, max: 1e-2);
        var transform = new SearchSpace([spec]).NumericTransformOf("lr")!;
        Assert.Equal(far, ScaleUpPredictor.IsFarOutside(transform, spec, transform.ToBasic(value)));
        var open = ParameterSpec.Log("lr", center: 1e-3, min: 1e-4);
        Assert.False(ScaleUpPredictor.IsFarOutside(new SearchSpace([open]).NumericTransformOf("lr")!, open, transform.ToBasic(1e6))); // no max: no width
    }

    [Theory]
    [InlineData(10.0, new[] { 7.0, 5, 4, 3, 2, 1.5 })]
    [InlineData(100.0, new[] { 70.0, 50, 40, 30, 20, 15, 10, 7, 5, 4, 3, 2, 1.5 })]
    [InlineData(4.0, new[] { 3.0, 2, 1.5 })]
    [InlineData(2.5, new[] { 2.0, 1.5 })]
    [InlineData(1.5, new double[0])]
    public void SmallerFactors_AreRoundNumbersBelowTheFactor_LargestFirst(double factor, double[] expected) =>
        Assert.Equal(expected, ScaleUpPredictor.SmallerFactors(factor).ToArray());

    [Fact]
    public void Predict_FrontWithoutSaturation_WarnsThatTheFloorIsNotIdentified()
    {
        // Like the demo's study of 2026-12-07: the loss falls steeply and straight in ln cost over a 3x cost range, so
        // the law's floor cannot be told, and 10x beyond the loss is predicted below 0.
        var space = new SearchSpace([ParameterSpec.Log("width", center: 32, min: 8, max: 256, isInteger: true)]);
        var observations = new List<Observation>();
        foreach (var width in new[] { 16, 20, 24, 28, 32, 40, 48 })
        {
            var cost = width * 1e10;
            observations.Add(new Observation(new Dictionary<string, ParamValue> { ["width"] = width }, 2.6 - (1.4 * Math.Log(cost / 1.6e11)), cost));
        }
        var prediction = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 40, useSurrogate: false);

        Assert.NotNull(prediction);
        Assert.False(prediction.Metric.Law.ShowsSaturation);
        Assert.True(prediction.Metric.Predicted < 0, $"predicted {prediction.Metric.Predicted}");
        Assert.Contains(prediction.Warnings, w => w.Contains("shows no saturation", StringComparison.Ordinal) && w.Contains("floor is not identified", StringComparison.Ordinal));

        // With the loss's natural bound 0 (metric_bound) the floor is held there: the prediction, the interval and every
        // point of the band stay at or above 0, and the no-saturation warning gives way (the floor is given, not fitted).
        var held = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 40, useSurrogate: false, metricBound: 0.0)!;
        Assert.True(held.Metric.Law.FloorAtBound);
        Assert.True(held.Metric.Predicted > 0 && held.Metric.Lower >= 0, $"predicted {held.Metric.Predicted} [{held.Metric.Lower}, {held.Metric.Upper}]");
        Assert.All(held.Bands.Single(b => b.Parameter is null).Points, p => Assert.True(p.Lower >= 0, $"band at {p.Cost}: {p.Lower}"));
        Assert.DoesNotContain(held.Warnings, w => w.Contains("shows no saturation", StringComparison.Ordinal));
        Assert.DoesNotContain(held.Warnings, w => w.Contains("past metric_bound", StringComparison.Ordinal));
        // A bound the front already passes is named in a warning (the bound in the study file is wrong).
        var wrong = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20, useSurrogate: false, metricBound: 2.0)!;
        Assert.Contains(wrong.Warnings, w => w.Contains("lie past metric_bound 2", StringComparison.Ordinal));
    }

    /// <summary>
    /// A known law where only the learning rate matters along the front: cost = n, loss = 2 + 5·(n/10⁶)^−0.3 +
    /// 0.15·(log₁₀(lr/lr*(n)))², lr*(n) = 10⁻³·(n/10⁶)^−0.35, noise N(0, 0.02²) — the lr penalty is below the noise within
    /// ±0.37 decades, so the Pareto points (lucky draws) scatter around the optimum and a line through them extrapolates
    /// badly; the surrogate averages all 100 trials of a log-uniform design.
    /// </summary>
    [Fact]
    public void Predict_NoisyFront_SurrogateBeatsTheLineThroughFrontPoints()
    {
        static double OptimalLrOf(double n) => 1e-3 * Math.Pow(n / 1e6, -0.35);
        var space = new SearchSpace([ParameterSpec.Log("n", center: 1e7, min: 1e6, max: 1e8), ParameterSpec.Log("lr", center: 1e-3, min: 1e-5, max: 1e-1)]);
        var surrogateErrors = new List<double>();
        var lineErrors = new List<double>();
        var covered = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var rng = new Random(seed);
            var observations = new List<Observation>();
            for (var i = 0; i < 100; i++)
            {
                var n = Math.Pow(10, 6 + (2 * rng.NextDouble()));
                var lr = Math.Pow(10, -4 + (2 * rng.NextDouble()));
                var offset = Math.Log10(lr / OptimalLrOf(n));
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                var loss = 2 + (5 * Math.Pow(n / 1e6, -0.3)) + (0.15 * offset * offset) + (0.02 * gaussian);
                observations.Add(new Observation(new Dictionary<string, ParamValue> { ["n"] = n, ["lr"] = lr }, loss, n));
            }
            var prediction = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 30, seed: seed);
            Assert.NotNull(prediction);
            var lrPrediction = prediction.Parameters.Single(p => p.Name == "lr");
            Assert.Equal(ScaleUpPredictor.SurrogateMethod, lrPrediction.Method);
            var truth = OptimalLrOf(prediction.TargetCost);
            surrogateErrors.Add(Math.Abs(Math.Log10(lrPrediction.Surrogate!.Predicted / truth)));
            lineErrors.Add(Math.Abs(Math.Log10(lrPrediction.FrontLine!.Predicted / truth)));
            covered += truth >= lrPrediction.Lower && truth <= lrPrediction.Upper ? 1 : 0;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"seed {seed}: truth {truth:G3}, surrogate {lrPrediction.Surrogate.Predicted:G3} [{lrPrediction.Surrogate.Lower:G3}, {lrPrediction.Surrogate.Upper:G3}], line {lrPrediction.FrontLine.Predicted:G3} [{lrPrediction.FrontLine.Lower:G3}, {lrPrediction.FrontLine.Upper:G3}]");
        }
        var surrogateMedian = surrogateErrors.Order().ElementAt(2);
        var lineMedian = lineErrors.Order().ElementAt(2);
        TestContext.Current.TestOutputHelper?.WriteLine($"median |log10 error|: surrogate {surrogateMedian:G3}, line {lineMedian:G3}");
        Assert.True(surrogateMedian < lineMedian, $"surrogate {surrogateMedian} vs line {lineMedian}");
        Assert.True(surrogateMedian < Math.Log10(1.5), $"surrogate median error {Math.Pow(10, surrogateMedian):G3}x");
        Assert.True(covered >= 4, $"the 90% interval covered the true lr in {covered} of 5 studies");
    }

    [Fact]
    public void Predict_TooFewTrialsForTheSurrogate_FallsBackToTheFrontLineAndSaysSo()
    {
        var space = new SearchSpace([ParameterSpec.Log("n", center: 1e7, min: 1e6, max: 1e8)]);
        var observations = new[] { 1e6, 3e6, 1e7, 3e7 }.Select(n => new Observation(new Dictionary<string, ParamValue> { ["n"] = n }, 2 + (5 * Math.Pow(n / 1e6, -0.3)), n)).ToList();
        var prediction = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20);
        Assert.NotNull(prediction);
        var n = Assert.Single(prediction.Parameters);
        Assert.Equal(ScaleUpPredictor.FrontLineMethod, n.Method);
        Assert.Null(n.Surrogate);
        Assert.Equal(3e8, n.Predicted, 1e-3 * 3e8);
        Assert.Equal(ScaleUpPredictor.FrontLineMethod, prediction.Metric.Method);
        Assert.Null(prediction.Metric.Surrogate);
        Assert.Equal(prediction.Metric.Predicted, prediction.Metric.FrontLine!.Predicted);
        Assert.Contains(prediction.Warnings, w => w.Contains("too few for the surrogate", StringComparison.Ordinal));
        var off = ScaleUpPredictor.Predict(space, observations, Direction.Minimize, factor: 10, bootstrapSamples: 20, useSurrogate: false)!;
        Assert.DoesNotContain(off.Warnings, w => w.Contains("surrogate", StringComparison.Ordinal));
    }

    [Fact]
    public void SaturatingLaw_RecoversAKnownLaw()
    {
        double[] costs = [1, 2, 5, 10, 20, 50, 100, 200];
        var outputs = costs.Select(c => 1.5 + (2.0 * Math.Pow(c, -0.4))).ToArray();
        var law = SaturatingLaw.Fit(costs, outputs, isMaximizing: false)!;
        Assert.Equal(1.5, law.Floor, 4);
        Assert.Equal(0.4, law.Exponent, 4);
        Assert.Equal(2.0, law.Amplitude, 3);
        var score = SaturatingLaw.Fit(costs, [.. costs.Select(c => 0.9 - (0.5 * Math.Pow(c, -0.3)))], isMaximizing: true)!;
        Assert.Equal(0.9, score.Floor, 4);
        Assert.True(score.Predict(1000) < 0.9);
    }
}
