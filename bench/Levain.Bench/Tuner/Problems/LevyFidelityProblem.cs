using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Held-out problem (chooses defaults; never reported as a result): the Levy function in 4 dimensions with a fidelity
/// s ∈ [0,1] that shifts the minimiser and lifts the floor, noise-free. With w = 1 + (x − 1 + 0.6(1 − s))/4 per
/// coordinate, f = sin²(πw₁) + Σᵢ₌₁³ (wᵢ − 1)²(1 + 10 sin²(πwᵢ + 1)) + (w₄ − 1)²(1 + sin²(2πw₄)) + 2(1 − s)²;
/// x ∈ [−5,5]⁴, cost 1 + 4s². Levy's minimum 0 (all xᵢ = 1) is reached only at s = 1: f ≥ 2(1 − s)², and at lower
/// fidelity the minimiser moves to xᵢ = 1 − 0.6(1 − s), so cheap runs point near, not at, the answer.
/// </summary>
public sealed class LevyFidelityProblem : ICostAwareProblem
{
    public const int Dimensions = 4;

    public const double Shift = 0.6, FloorScale = 2.0;

    public LevyFidelityProblem(double totalBudget = 200.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            .. Enumerable.Range(1, Dimensions).Select(j => ParameterSpec.Linear($"x{j}", center: 0.0, min: -5.0, max: 5.0, scale: 5.0)),
            ParameterSpec.Linear("s", center: 0.5, min: 0.0, max: 1.0, scale: 0.5),
        ];
    }

    public string Name => "levy-fidelity";

    public string Description => "Held-out: Levy-4 with a fidelity s that shifts the minimiser by 0.6(1 − s) and adds 2(1 − s)², noise-free, cost 1 + 4s²";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => 0.0;

    public double TotalBudget { get; }

    public static double Value(ReadOnlySpan<double> x, double s)
    {
        var n = x.Length;
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            w[i] = 1.0 + ((x[i] - 1.0 + (Shift * (1.0 - s))) / 4.0);
        }
        var sinFirst = Math.Sin(Math.PI * w[0]);
        var sum = sinFirst * sinFirst;
        for (var i = 0; i < n - 1; i++)
        {
            var inner = Math.Sin((Math.PI * w[i]) + 1.0);
            sum += (w[i] - 1.0) * (w[i] - 1.0) * (1.0 + (10.0 * inner * inner));
        }
        var last = Math.Sin(2.0 * Math.PI * w[n - 1]);
        sum += (w[n - 1] - 1.0) * (w[n - 1] - 1.0) * (1.0 + (last * last));
        return sum + (FloorScale * (1.0 - s) * (1.0 - s));
    }

    public static double CostOf(double s) => 1.0 + (4.0 * s * s);

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (x, s) = Read(pointInParam);
        return Value(x, s);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam) => CostOf(Read(pointInParam).S);

    /// <summary>Deterministic: the observation is the noise-free value; <paramref name="noise"/> is not drawn from.</summary>
    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        var (x, s) = Read(pointInParam);
        var value = Value(x, s);
        return new ProblemEvaluation(value, value, CostOf(s));
    }

    private (double[] X, double S) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var values = ProblemPoint.ReadAll(pointInParam, Parameters);
        return (values[..^1], values[^1]);
    }
}
