using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Multi-fidelity ("augmented") Branin of Kandasamy et al., "Multi-fidelity Bayesian Optimisation with Continuous
/// Approximations" (BOCA, ICML 2017), with its three fidelity coordinates tied to one s ∈ [0,1]:
/// f(x, s) = (x₂ − b_s x₁² + c_s x₁ − 6)² + 10(1 − t_s) cos x₁ + 10, where b_s = 5.1/(4π²) − 0.01(1 − s),
/// c_s = 5/π − 0.1(1 − s), t_s = 1/(8π) + 0.05(1 − s); x₁ ∈ [−5,10], x₂ ∈ [0,15]; cost 5 + s.
/// Since f ≥ 10·t_s = 10/(8π) + 0.5(1 − s), the minimum 0.397887 is reached only at s = 1, at standard Branin's three
/// minimisers. Space: box middle as center, half the box width as scale (the box is ±1 basic unit).
/// </summary>
public sealed class AugmentedBraninProblem : ICostAwareProblem
{
    /// <summary>10/(8π): standard Branin's minimum.</summary>
    public static readonly double KnownOptimum = 10.0 / (8.0 * Math.PI);

    /// <summary>Standard Branin's three minimisers (x₁, x₂); at s = 1 each has value <see cref="KnownOptimum"/>.</summary>
    public static IReadOnlyList<(double X1, double X2)> KnownMinimizers { get; } =
        [(-Math.PI, 12.275), (Math.PI, 2.275), (3 * Math.PI, 2.475)];

    public AugmentedBraninProblem(double totalBudget = 500.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Linear("x1", center: 2.5, min: -5.0, max: 10.0, scale: 7.5),
            ParameterSpec.Linear("x2", center: 7.5, min: 0.0, max: 15.0, scale: 7.5),
            ParameterSpec.Linear("s", center: 0.5, min: 0.0, max: 1.0, scale: 0.5),
        ];
    }

    public string Name => "augmented-branin";

    public string Description => "Multi-fidelity Branin (Kandasamy et al. 2017, BOCA; z₁ = z₂ = z₃ = s), cost 5 + s";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => KnownOptimum;

    public double TotalBudget { get; }

    public static double Value(double x1, double x2, double s)
    {
        var b = 5.1 / (4.0 * Math.PI * Math.PI) - 0.01 * (1.0 - s);
        var c = 5.0 / Math.PI - 0.1 * (1.0 - s);
        var t = 1.0 / (8.0 * Math.PI) + 0.05 * (1.0 - s);
        var q = x2 - b * x1 * x1 + c * x1 - 6.0;
        return q * q + 10.0 * (1.0 - t) * Math.Cos(x1) + 10.0;
    }

    public static double CostOf(double s) => 5.0 + s;

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (x1, x2, s) = Read(pointInParam);
        return Value(x1, x2, s);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam) => CostOf(Read(pointInParam).S);

    /// <summary>Deterministic: the observation is the noise-free value; <paramref name="noise"/> is not drawn from.</summary>
    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        var (x1, x2, s) = Read(pointInParam);
        var value = Value(x1, x2, s);
        return new ProblemEvaluation(value, value, CostOf(s));
    }

    private (double X1, double X2, double S) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]),
            ProblemPoint.Read(pointInParam, Parameters[2]));
    }
}
