using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Held-out problem (chooses defaults; never reported as a result): a Chinchilla-form problem with Besiroglu et al.'s
/// 2024 refit of the law (L = E + A/N^α + B/D^β, E = 1.8172, A = 482.01, B = 2085.43, α = 0.3478, β = 0.3658), a
/// learning-rate penalty 0.12·(log₁₀ lr − log₁₀ lr*(N))² with lr*(N) = 2·10⁻³·(N/10⁷)^−0.25, a weight-decay penalty
/// 0.05·(log₁₀ wd + 1)² (optimum 0.1) and observation noise N(0, 0.03²) — three times the reported problem's.
/// N ∈ [3·10⁶, 10⁹], D ∈ [3·10⁸, 3·10¹⁰], lr ∈ [10⁻⁵, 10⁻¹], wd ∈ [10⁻³, 1], all log. Cost 6ND/10¹⁶; the largest
/// run costs 18,000 of the budget of 30,000.
/// </summary>
public sealed class ChinchillaEpochProblem : ICostAwareProblem
{
    public const double E = 1.8172, A = 482.01, B = 2085.43, Alpha = 0.3478, Beta = 0.3658;
    public const double LrPenalty = 0.12, WdPenalty = 0.05, NoiseStdDev = 0.03;
    public const double MinN = 3e6, MaxN = 1e9, MinD = 3e8, MaxD = 3e10;

    public ChinchillaEpochProblem(double totalBudget = 30000.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            ParameterSpec.Log("n", center: Math.Sqrt(MinN * MaxN), min: MinN, max: MaxN, scale: 0.5 * Math.Log10(MaxN / MinN)),
            ParameterSpec.Log("d", center: Math.Sqrt(MinD * MaxD), min: MinD, max: MaxD, scale: 0.5 * Math.Log10(MaxD / MinD)),
            ParameterSpec.Log("lr", center: 1e-3, min: 1e-5, max: 1e-1, scale: 2.0),
            ParameterSpec.Log("wd", center: 0.03, min: 1e-3, max: 1.0, scale: 1.5),
        ];
    }

    public string Name => "chinchilla-epoch";

    public string Description => "Held-out: Chinchilla law as refit by Besiroglu et al. 2024, lr optimum moving with N, weight decay, noise 0.03, cost 6ND";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => Loss(MaxN, MaxD, OptimalLearningRate(MaxN), 0.1);

    public double TotalBudget { get; }

    public static double OptimalLearningRate(double n) => 2e-3 * Math.Pow(n / 1e7, -0.25);

    public static double Loss(double n, double d, double lr, double wd)
    {
        var lrOffset = Math.Log10(lr) - Math.Log10(OptimalLearningRate(n));
        var wdOffset = Math.Log10(wd) + 1.0;
        return E + (A / Math.Pow(n, Alpha)) + (B / Math.Pow(d, Beta)) + (LrPenalty * lrOffset * lrOffset) + (WdPenalty * wdOffset * wdOffset);
    }

    public static double CostOf(double n, double d) => 6.0 * n * d / 1e16;

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (n, d, lr, wd) = Read(pointInParam);
        return Loss(n, d, lr, wd);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (n, d, _, _) = Read(pointInParam);
        return CostOf(n, d);
    }

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (n, d, lr, wd) = Read(pointInParam);
        var value = Loss(n, d, lr, wd);
        return new ProblemEvaluation(value + (NoiseStdDev * StandardNormal.Draw(noise)), value, CostOf(n, d));
    }

    private (double N, double D, double Lr, double Wd) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]),
            ProblemPoint.Read(pointInParam, Parameters[2]), ProblemPoint.Read(pointInParam, Parameters[3]));
    }
}
