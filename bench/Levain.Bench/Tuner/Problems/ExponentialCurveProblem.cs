using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Held-out problem (chooses defaults; never reported as a result): a learning-curve family unlike
/// <see cref="LearningCurveProblem"/>'s power law — exponential approach with a width-dependent time constant:
/// L(t) = L∞ + (3 − L∞)·exp(−t/τ(w)), τ(w) = 3 + 6·(w/2048)^0.5, for width w ∈ [32, 2048] (log, integer), epochs
/// t ∈ [1, 60] (log, integer), lr ∈ [10⁻⁵, 10⁻¹] (log) and dropout p ∈ [0, 0.5]:
/// L∞ = 0.2 + 0.4·(64/w)^0.4 + 0.25·(log₁₀ lr − log₁₀ lr*(w))² + 0.8·(p − p*(w))², lr*(w) = 10^(−3 − 0.125·log₂(w/64)),
/// p*(w) = 0.05 + 0.2·w/2048. Cost w·t/128; observation noise N(0, 0.03²/(1 + t/10)).
/// The optimum (w = 2048, t = 60, lr and p at their width's optima) is L∞(2048) + (3 − L∞)·exp(−60/9).
/// </summary>
public sealed class ExponentialCurveProblem : ICurveProblem
{
    public const double Start = 3.0;

    public ExponentialCurveProblem(double totalBudget = 2000.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Log("w", center: 256, min: 32, max: 2048, isInteger: true, scale: 0.5 * Math.Log10(2048.0 / 32)),
            ParameterSpec.Log("t", center: 8, min: 1, max: 60, isInteger: true, scale: 0.5 * Math.Log10(60.0)),
            ParameterSpec.Log("lr", center: 1e-3, min: 1e-5, max: 1e-1, scale: 2.0),
            ParameterSpec.Linear("p", center: 0.25, min: 0.0, max: 0.5, scale: 0.25),
        ];
    }

    public string Name => "exp-curve";

    public string Description => "Held-out: exponential learning curve L∞ + (3 − L∞)exp(−t/τ(w)), lr and dropout optima moving with width, cost w·t/128";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => Loss(2048, 60, OptimalLearningRate(2048), OptimalDropout(2048));

    public double TotalBudget { get; }

    public static double OptimalLearningRate(double w) => Math.Pow(10, -3 - (0.125 * Math.Log2(w / 64)));

    public static double OptimalDropout(double w) => 0.05 + (0.2 * w / 2048);

    public static double Asymptote(double w, double lr, double p)
    {
        var lrOffset = Math.Log10(lr) - Math.Log10(OptimalLearningRate(w));
        var pOffset = p - OptimalDropout(w);
        return 0.2 + (0.4 * Math.Pow(64 / w, 0.4)) + (0.25 * lrOffset * lrOffset) + (0.8 * pOffset * pOffset);
    }

    public static double TimeConstant(double w) => 3 + (6 * Math.Sqrt(w / 2048));

    public static double Loss(double w, double t, double lr, double p)
    {
        var floor = Asymptote(w, lr, p);
        return floor + ((Start - floor) * Math.Exp(-t / TimeConstant(w)));
    }

    public static double CostOf(double w, double t) => w * t / 128;

    private static double NoiseStdDev(double t) => 0.03 / Math.Sqrt(1 + (t / 10));

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, t, lr, p) = Read(pointInParam);
        return Loss(w, t, lr, p);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, t, _, _) = Read(pointInParam);
        return CostOf(w, t);
    }

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, t, lr, p) = Read(pointInParam);
        var value = Loss(w, t, lr, p);
        return new ProblemEvaluation(value + (NoiseStdDev(t) * StandardNormal.Draw(noise)), value, CostOf(w, t));
    }

    /// <summary>The run watched epoch by epoch: after epoch e ≤ t, loss L(e) at cost w·e/128, noise as at e epochs.</summary>
    public IReadOnlyList<ProblemEvaluation> Curve(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, t, lr, p) = Read(pointInParam);
        var curve = new List<ProblemEvaluation>();
        for (var e = 1; e <= (int)Math.Round(t); e++)
        {
            var value = Loss(w, e, lr, p);
            curve.Add(new ProblemEvaluation(value + (NoiseStdDev(e) * StandardNormal.Draw(noise)), value, CostOf(w, e)));
        }
        return curve;
    }

    /// <summary>The run with t set to <paramref name="points"/> epochs (1 ≤ points ≤ its own t), the other parameters unchanged.</summary>
    public IReadOnlyDictionary<string, ParamValue> ShortenedRun(IReadOnlyDictionary<string, ParamValue> pointInParam, int points) =>
        ProblemPoint.Shortened(pointInParam, Parameters[1], points);

    private (double W, double T, double Lr, double P) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]),
            ProblemPoint.Read(pointInParam, Parameters[2]), ProblemPoint.Read(pointInParam, Parameters[3]));
    }
}
