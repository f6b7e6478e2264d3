using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Multi-fidelity Hartmann-6: x ∈ [0,1]⁶, fidelity z ∈ [3,100], s = ln z / ln 100, α′ = α − b(1 − s),
/// f = −Σᵢ α′ᵢ exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²) + |ε|·σ·(1 − s) with ε ~ N(0,1), cost 0.05 + 0.95(z/100)², b = 3, σ = 3.
/// A, P and α are the standard Hartmann-6 constants; the optimum −3.32237 is at full fidelity (z = 100).
/// Space: each xⱼ centered at 0.5 with scale 0.5, z log-scaled centered at √(3·100) with scale ½·log₁₀(100/3), so the
/// box is ±1 basic unit around the center in every dimension.
/// </summary>
public sealed class MfHartmann6Problem : ICostAwareProblem
{
    public const double FidelityMin = 3.0;
    public const double FidelityMax = 100.0;
    public const double FidelityPenalty = 3.0;    // b
    public const double NoiseScale = 3.0;         // σ

    /// <summary>Minimum of standard Hartmann-6 (Surjanovic &amp; Bingham's value to 5 decimals is −3.32237).</summary>
    public const double KnownOptimum = -3.32236801141551;

    /// <summary>The standard minimiser x* (to the 6 digits it is usually published with).</summary>
    public static IReadOnlyList<double> KnownMinimizer { get; } = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public MfHartmann6Problem(double totalBudget = 25.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        var fidelityScale = 0.5 * Math.Log10(FidelityMax / FidelityMin);
        Parameters =
        [
            .. Enumerable.Range(1, 6).Select(j => ParameterSpec.Linear($"x{j}", center: 0.5, min: 0.0, max: 1.0, scale: 0.5)),
            ParameterSpec.Log("z", center: Math.Sqrt(FidelityMin * FidelityMax), min: FidelityMin, max: FidelityMax, scale: fidelityScale),
        ];
    }

    public string Name => "mf-hartmann6";

    public string Description => "MF-Hartmann-6 with fidelity z ∈ [3,100] (b = 3, σ = 3), cost 0.05 + 0.95(z/100)²";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => KnownOptimum;

    public double TotalBudget { get; }

    /// <summary>s = ln z / ln 100: 1 at full fidelity.</summary>
    public static double FidelityFraction(double z) => Math.Log(z) / Math.Log(FidelityMax);

    /// <summary>−Σᵢ α′ᵢ exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²) with α′ = α − b(1 − s).</summary>
    public static double Value(ReadOnlySpan<double> x, double fidelityFraction) =>
        HartmannFamily.Value(x, Alpha, A, P, FidelityPenalty * (1.0 - fidelityFraction));

    public static double CostOf(double z) => 0.05 + 0.95 * (z / 100.0) * (z / 100.0);

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (x, z) = Read(pointInParam);
        return Value(x, FidelityFraction(z));
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam) => CostOf(Read(pointInParam).Z);

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (x, z) = Read(pointInParam);
        var s = FidelityFraction(z);
        var noiseFree = Value(x, s);
        var observed = noiseFree + Math.Abs(StandardNormal.Draw(noise)) * NoiseScale * (1.0 - s);
        return new ProblemEvaluation(observed, noiseFree, CostOf(z));
    }

    private (double[] X, double Z) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var values = ProblemPoint.ReadAll(pointInParam, Parameters);
        return (values[..^1], values[^1]);
    }
}
