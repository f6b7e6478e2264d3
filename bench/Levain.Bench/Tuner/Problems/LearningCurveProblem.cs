using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// A learning-curve problem: a run of width w ∈ [16, 1024] (log, integer) trained for t ∈ [1, 81] epochs (log,
/// integer) at learning rate lr ∈ [10⁻⁴, 1] (log) reaches L(t) = L∞ + (2.5 − L∞)·(1 + t)^−0.8, where
/// L∞ = 0.3 + 0.25·(32/w)^0.5 + 0.3·(log₁₀ lr − log₁₀ lr*(w))², lr*(w) = 10^(−2.3 + 0.2·log₂(w/32)/3).
/// Cost w·t/64 (compute ∝ width × epochs); observation noise N(0, 0.02²/(1 + t/9)) shrinks as training goes on.
/// The optimum (w = 1024, t = 81, lr at its width's optimum) is L∞(1024) + (2.5 − L∞)·82^−0.8.
/// </summary>
public sealed class LearningCurveProblem : ICurveProblem
{
    public const double Start = 2.5, Decay = 0.8;

    public LearningCurveProblem(double totalBudget = 1500.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Log("w", center: 128, min: 16, max: 1024, isInteger: true, scale: 0.5 * Math.Log10(1024.0 / 16)),
            ParameterSpec.Log("t", center: 9, min: 1, max: 81, isInteger: true, scale: 0.5 * Math.Log10(81.0)),
            ParameterSpec.Log("lr", center: 1e-2, min: 1e-4, max: 1.0, scale: 2.0),
        ];
    }

    public string Name => "learning-curve";

    public string Description => "Learning curve L∞(w, lr) + (2.5 − L∞)(1 + t)^−0.8, lr optimum moving with width, cost w·t/64";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => Loss(1024, 81, OptimalLearningRate(1024));

    public double TotalBudget { get; }

    public static double OptimalLearningRate(double w) => Math.Pow(10, -2.3 + (0.2 * Math.Log2(w / 32) / 3));

    public static double Asymptote(double w, double lr)
    {
        var offset = Math.Log10(lr) - Math.Log10(OptimalLearningRate(w));
        return 0.3 + (0.25 * Math.Sqrt(32 / w)) + (0.3 * offset * offset);
    }

    public static double Loss(double w, double t, double lr)
    {
        var floor = Asymptote(w, lr);
        return floor + ((Start - floor) * Math.Pow(1 + t, -Decay));
    }

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, t, lr) = Read(pointInParam);
        return Loss(w, t, lr);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, t, _) = Read(pointInParam);
        return w * t / 64;
    }

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, t, lr) = Read(pointInParam);
        var value = Loss(w, t, lr);
        var sd = 0.02 / Math.Sqrt(1 + (t / 9));
        return new ProblemEvaluation(value + (sd * StandardNormal.Draw(noise)), value, w * t / 64);
    }

    /// <summary>The run watched epoch by epoch: after epoch e ≤ t, loss L(e) at cost w·e/64, noise as at e epochs.</summary>
    public IReadOnlyList<ProblemEvaluation> Curve(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, t, lr) = Read(pointInParam);
        var curve = new List<ProblemEvaluation>();
        for (var e = 1; e <= (int)Math.Round(t); e++)
        {
            var value = Loss(w, e, lr);
            var sd = 0.02 / Math.Sqrt(1 + (e / 9.0));
            curve.Add(new ProblemEvaluation(value + (sd * StandardNormal.Draw(noise)), value, w * e / 64));
        }
        return curve;
    }

    /// <summary>The run with t set to <paramref name="points"/> epochs (1 ≤ points ≤ its own t), the other parameters unchanged.</summary>
    public IReadOnlyDictionary<string, ParamValue> ShortenedRun(IReadOnlyDictionary<string, ParamValue> pointInParam, int points) =>
        ProblemPoint.Shortened(pointInParam, Parameters[1], points);

    private (double W, double T, double Lr) Read(IReadOnlyDictionary<string, ParamValue> pointInParam) =>
        (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]), ProblemPoint.Read(pointInParam, Parameters[2]));
}
