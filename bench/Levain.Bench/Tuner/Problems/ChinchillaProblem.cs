using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// A Chinchilla-form language-model problem (Hoffmann et al. 2022's fitted law L = E + A/N^α + B/D^β with
/// E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28) plus a learning-rate penalty whose optimum moves with model
/// size: L += K·(log₁₀ lr − log₁₀ lr*(N))², lr*(N) = 3·10⁻³·(N/10⁷)^−0.3, K = 0.08. Observation noise N(0, 0.01²).
/// Parameters: N ∈ [10⁶, 3·10⁸] parameters (log), D ∈ [10⁸, 10¹⁰] tokens (log), lr ∈ [10⁻⁴, 10⁻¹] (log).
/// Cost 6·N·D / 10¹⁶ (FLOPs in units of 10¹⁶): the largest run costs 1,800 of the budget of 3,000.
/// </summary>
public sealed class ChinchillaProblem : ICostAwareProblem
{
    public const double E = 1.69, A = 406.4, B = 410.7, Alpha = 0.34, Beta = 0.28;
    public const double LrPenalty = 0.08, NoiseStdDev = 0.01;
    public const double MinN = 1e6, MaxN = 3e8, MinD = 1e8, MaxD = 1e10;

    public ChinchillaProblem(double totalBudget = 3000.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Log("n", center: Math.Sqrt(MinN * MaxN), min: MinN, max: MaxN, scale: 0.5 * Math.Log10(MaxN / MinN)),
            ParameterSpec.Log("d", center: Math.Sqrt(MinD * MaxD), min: MinD, max: MaxD, scale: 0.5 * Math.Log10(MaxD / MinD)),
            ParameterSpec.Log("lr", center: 3e-3, min: 1e-4, max: 1e-1, scale: 1.5),
        ];
    }

    public string Name => "chinchilla";

    public string Description => "Chinchilla law E + A/N^α + B/D^β with an lr optimum moving with N, noise 0.01, cost 6ND";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The largest model on the most data at its optimal learning rate.</summary>
    public double OptimumValue => Loss(MaxN, MaxD, OptimalLearningRate(MaxN));

    public double TotalBudget { get; }

    public static double OptimalLearningRate(double n) => 3e-3 * Math.Pow(n / 1e7, -0.3);

    public static double Loss(double n, double d, double lr)
    {
        var offset = Math.Log10(lr) - Math.Log10(OptimalLearningRate(n));
        return E + (A / Math.Pow(n, Alpha)) + (B / Math.Pow(d, Beta)) + (LrPenalty * offset * offset);
    }

    public static double CostOf(double n, double d) => 6.0 * n * d / 1e16;

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (n, d, lr) = Read(pointInParam);
        return Loss(n, d, lr);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (n, d, _) = Read(pointInParam);
        return CostOf(n, d);
    }

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (n, d, lr) = Read(pointInParam);
        var value = Loss(n, d, lr);
        return new ProblemEvaluation(value + (NoiseStdDev * StandardNormal.Draw(noise)), value, CostOf(n, d));
    }

    private (double N, double D, double Lr) Read(IReadOnlyDictionary<string, ParamValue> pointInParam) =>
        (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]), ProblemPoint.Read(pointInParam, Parameters[2]));
}
