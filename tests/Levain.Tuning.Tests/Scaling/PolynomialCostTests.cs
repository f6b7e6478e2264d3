using Levain.Tuning.Scaling;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Scaling;

/// <summary>
/// The known law in these tests is the training FLOPs of `levain train` (GptConfig.TrainingFlopsPerToken × tokens) for
/// the demo's fixed shape (byte vocabulary 257, context 64, batch 16): steps·16·64·(6·N + 12·depth·width·64) with
/// N = 257·width + depth·(12·width² + 13·width) + 2·width. Its ln is not linear in ln width.
/// </summary>
public sealed class PolynomialCostTests
{
    public static double TrainerFlops(double width, double depth, double steps)
    {
        var n = (257 * width) + (depth * ((12 * width * width) + (13 * width))) + (2 * width);
        return steps * 16 * 64 * ((6 * n) + (12 * depth * width * 64));
    }

    private static readonly SearchSpace Space = new(
    [
        ParameterSpec.Log("lr", center: 4e-3, min: 3e-4, max: 3e-2),
        ParameterSpec.Log("width", center: 64, min: 16, max: 256, isInteger: true, rounding: 8),
        ParameterSpec.Log("depth", center: 2, min: 1, max: 6, isInteger: true),
        ParameterSpec.Log("steps", center: 900, min: 100, max: 8000, isInteger: true, rounding: 50),
    ]);

    private static List<Observation> Trials(int count, Func<double, double, double, double> cost, int seed = 3)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var (width, depth, steps) = (8 * random.Next(2, 17), random.Next(1, 5), 50 * random.Next(4, 100));
            return new Observation(new Dictionary<string, ParamValue>
            {
                ["lr"] = Math.Exp(Math.Log(3e-4) + (random.NextDouble() * Math.Log(100))), ["width"] = width, ["depth"] = depth, ["steps"] = steps,
            }, 1.0, cost(width, depth, steps));
        })];
    }

    private static Dictionary<string, double> Basic(double lr, double width, double depth, double steps) => new()
    {
        ["lr"] = Space.NumericTransformOf("lr")!.ToBasic(lr), ["width"] = Space.NumericTransformOf("width")!.ToBasic(width),
        ["depth"] = Space.NumericTransformOf("depth")!.ToBasic(depth), ["steps"] = Space.NumericTransformOf("steps")!.ToBasic(steps),
    };

    [Fact]
    public void TryFit_RecoversTheTrainersFlopsCount_AndPricesSettingsFarBeyondTheTrials()
    {
        var model = PolynomialCost.TryFit(Space, Trials(30, TrainerFlops), ["lr", "width", "depth", "steps"])!;

        Assert.Equal(["width", "depth", "steps"], model.Drivers); // lr does not move the cost
        Assert.Equal(1.0, model.RSquared, 1e-9);
        // 16·64·6·259 per width·step, 16·64·(6·13 + 12·64) per depth·width·step, 16·64·72 per depth·width²·step.
        // Terms that matter at width 64, depth 2, 1,000 steps (more than 10⁻⁶ of the cost), keyed by their exponents.
        double[] at = [64, 2, 1000];
        var terms = model.Terms.Where(t => t.Coefficient * t.Exponents.Select((e, j) => Math.Pow(at[j], e)).Aggregate(1.0, (a, b) => a * b) > 1e-6 * TrainerFlops(64, 2, 1000))
            .ToDictionary(t => string.Concat(t.Exponents), t => t.Coefficient);
        Assert.Equal(3, terms.Count);
        Assert.Equal(16.0 * 64 * 6 * 259, terms["101"], 1e-3);
        Assert.Equal(16.0 * 64 * 846, terms["111"], 1e-3);
        Assert.Equal(16.0 * 64 * 72, terms["211"], 1e-4);
        foreach (var (width, depth, steps) in new[] { (240.0, 1.0, 3300.0), (1024.0, 12.0, 50_000.0) })
        {
            Assert.Equal(Math.Log(TrainerFlops(width, depth, steps)), model.LogCostAt(Basic(1e-3, width, depth, steps)), 1e-6);
        }
        Assert.StartsWith("7.373E+04·width²·depth·steps + ", model.Formula(Basic(1e-3, 1024, 12, 50_000)), StringComparison.Ordinal);
    }

    [Fact]
    public void TryFit_TreatsAParameterHeldAtOneValue_AsNoDriver()
    {
        // lr at 1e-3 in every trial: beside the intercept its elasticity is arbitrary (it was fitted as ≤ −0.2 here,
        // and the polynomial refused the study).
        var trials = Trials(30, TrainerFlops).Select(o => o with { Parameters = new Dictionary<string, ParamValue>(o.Parameters) { ["lr"] = 1e-3 } }).ToList();

        var model = PolynomialCost.TryFit(Space, trials, ["lr", "width", "depth", "steps"])!;

        Assert.Equal(["width", "depth", "steps"], model.Drivers);
        Assert.Equal(Math.Log(TrainerFlops(1024, 12, 50_000)), model.LogCostAt(Basic(1e-3, 1024, 12, 50_000)), 1e-6);
        Assert.IsType<PolynomialCost>(RecommendedCost.FitCost(Space, trials, ["lr", "width", "depth", "steps"]));
    }

    [Fact]
    public void TryFit_RefusesCostsThatAreNotSumsOfPositiveTerms()
    {
        // Cost falling with steps (elasticity −1) and a parameter that is not positive.
        Assert.Null(PolynomialCost.TryFit(Space, Trials(30, (w, d, s) => w * w * d / s), ["lr", "width", "depth", "steps"]));
        var signed = new SearchSpace([ParameterSpec.Linear("x", center: 0.0, min: -1.0, max: 1.0), ParameterSpec.Log("width", center: 64, min: 16, max: 256)]);
        var random = new Random(1);
        var trials = Enumerable.Range(0, 20).Select(_ => (X: (random.NextDouble() * 2) - 1, W: 16 + (240 * random.NextDouble())))
            .Select(t => new Observation(new Dictionary<string, ParamValue> { ["x"] = t.X, ["width"] = t.W }, 1.0, t.W * t.W)).ToList();
        Assert.Null(PolynomialCost.TryFit(signed, trials, ["x", "width"]));
        Assert.NotNull(PolynomialCost.TryFit(signed, trials, ["width"]));
    }

    [Fact]
    public void FitCost_TakesThePolynomial_OnlyWhereItPredictsLeftOutTrialsFarBetter()
    {
        string[] names = ["lr", "width", "depth", "steps"];
        // The trainer's FLOPs: the polynomial is exact, ln cost linear in the parameters misses by a few per cent.
        var flops = Trials(30, TrainerFlops);
        var (polynomialError, linearError) = RecommendedCost.LeaveOneOutErrors(Space, flops, names);
        Assert.True(polynomialError < 1e-6 && linearError > 0.01, $"{polynomialError} {linearError}");
        Assert.IsType<PolynomialCost>(RecommendedCost.FitCost(Space, flops, names));
        // Exactly log-linear (width²·depth·steps): nothing to gain, the simpler form is kept.
        Assert.IsType<RecommendedCost.Fit>(RecommendedCost.FitCost(Space, Trials(30, (w, d, s) => w * w * d * s), names));
        // A noisy power law such as wall time (10 % log-normal noise on width^1.7·depth^0.8·steps): the polynomial
        // does no better on left-out trials, so the log-linear form is kept, on every seed tried.
        for (var seed = 0; seed < 5; seed++)
        {
            var noise = new Random(100 + seed);
            var wall = Trials(30, (w, d, s) => 1e-6 * Math.Pow(w, 1.7) * Math.Pow(d, 0.8) * s * Math.Exp(0.1 * Gaussian(noise)), seed);
            Assert.IsType<RecommendedCost.Fit>(RecommendedCost.FitCost(Space, wall, names));
        }
    }

    [Fact]
    public void FitCost_TakesThePolynomial_ForWallTimeWithAStartupOverhead_AndExtrapolatesIt()
    {
        // Seconds: 20 s to start a process plus per-step work ∝ depth·width², with 3 % timing noise. ln cost is not
        // linear in anything here (the overhead dominates the small trials); the sum is, up to the noise.
        static double Seconds(double w, double d, double s) => 20 + (2e-6 * d * w * w * s);
        string[] names = ["lr", "width", "depth", "steps"];
        for (var seed = 0; seed < 3; seed++)
        {
            var noise = new Random(200 + seed);
            var trials = Trials(30, (w, d, s) => Seconds(w, d, s) * Math.Exp(0.03 * Gaussian(noise)), seed);

            var model = Assert.IsType<PolynomialCost>(RecommendedCost.FitCost(Space, trials, names));

            // 10x the dearest trial's size in width·steps, far outside the trials.
            Assert.Equal(Math.Log(Seconds(1024, 4, 20_000)), model.LogCostAt(Basic(1e-3, 1024, 4, 20_000)), 0.1);
            var linear = RecommendedCost.FitLogLinear(Space, trials, names)!;
            Assert.True(Math.Abs(linear.LogCostAt(Basic(1e-3, 1024, 4, 20_000)) - Math.Log(Seconds(1024, 4, 20_000))) > 0.3);
        }
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
