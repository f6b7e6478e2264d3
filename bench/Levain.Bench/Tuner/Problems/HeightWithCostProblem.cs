using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// The "height with cost" learning-curve problem: width w ∈ {0..20}, height h ∈ [−100, 100], epochs e ∈ {1..100},
/// loss L = 1/(0.1 + w·e/100) + 0.1·h, cost e·(0.1 + 0.05·sin(w·h)). Deterministic. L decreases in w, e and h, so
/// the optimum is at w = 20, e = 100, h = −100: 1/20.1 − 10. Space: w linear (center 10, scale 10), h linear
/// (center 0, scale 100), e log₁₀ (center 10, scale 1), so the box is ±1 basic unit around the center.
/// </summary>
public sealed class HeightWithCostProblem : ICostAwareProblem
{
    public static readonly double KnownOptimum = 1.0 / (0.1 + 20.0 * 100.0 / 100.0) + 0.1 * -100.0;

    public HeightWithCostProblem(double totalBudget = 300.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Linear("w", center: 10.0, min: 0.0, max: 20.0, isInteger: true, scale: 10.0),
            ParameterSpec.Linear("h", center: 0.0, min: -100.0, max: 100.0, scale: 100.0),
            ParameterSpec.Log("e", center: 10.0, min: 1.0, max: 100.0, isInteger: true, scale: 1.0),
        ];
    }

    public string Name => "height-with-cost";

    public string Description => "Learning curve L = 1/(0.1 + w·e/100) + 0.1·h, cost e·(0.1 + 0.05·sin(w·h))";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => KnownOptimum;

    public double TotalBudget { get; }

    public static double Value(double w, double h, double e) => 1.0 / (0.1 + w * e / 100.0) + 0.1 * h;

    public static double CostOf(double w, double h, double e) => e * (0.1 + 0.05 * Math.Sin(w * h));

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, h, e) = Read(pointInParam);
        return Value(w, h, e);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, h, e) = Read(pointInParam);
        return CostOf(w, h, e);
    }

    /// <summary>Deterministic: the observation is the noise-free value; <paramref name="noise"/> is not drawn from.</summary>
    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        var (w, h, e) = Read(pointInParam);
        var value = Value(w, h, e);
        return new ProblemEvaluation(value, value, CostOf(w, h, e));
    }

    private (double W, double H, double E) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]),
            ProblemPoint.Read(pointInParam, Parameters[2]));
    }
}
