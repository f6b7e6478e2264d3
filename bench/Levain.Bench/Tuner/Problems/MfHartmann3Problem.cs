using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// Held-out problem (chooses defaults; never reported as a result): multi-fidelity Hartmann-3. x ∈ [0,1]³, fidelity
/// z ∈ [2,50], s = ln(z/2) / ln 25, α′ = α − b(1 − s), f = −Σᵢ α′ᵢ exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²) + N(0, (σ(1 − s) + 0.02)²),
/// b = 2, σ = 0.5, cost 0.1 + 0.9(z/50)^1.5. A, P and α are the standard Hartmann-3 constants; the minimum −3.86278
/// (at x ≈ (0.114614, 0.555649, 0.852547)) is reached only at full fidelity. Unlike mf-hartmann6 the noise is
/// symmetric and never vanishes, and the fidelity is linear in the exponent of a different power of cost.
/// </summary>
public sealed class MfHartmann3Problem : ICostAwareProblem
{
    public const double FidelityMin = 2.0, FidelityMax = 50.0, FidelityPenalty = 2.0, NoiseScale = 0.5, NoiseFloor = 0.02;

    /// <summary>Minimum of standard Hartmann-3 (Surjanovic &amp; Bingham: −3.86278).</summary>
    public const double KnownOptimum = -3.86278214782076;

    public static IReadOnlyList<double> KnownMinimizer { get; } = [0.114614, 0.555649, 0.852547];

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 3.0, 10, 30 },
        { 0.1, 10, 35 },
        { 3.0, 10, 30 },
        { 0.1, 10, 35 },
    };

    private static readonly double[,] P =
    {
        { 0.3689, 0.1170, 0.2673 },
        { 0.4699, 0.4387, 0.7470 },
        { 0.1091, 0.8732, 0.5547 },
        { 0.03815, 0.5743, 0.8828 },
    };

    public MfHartmann3Problem(double totalBudget = 15.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        Parameters =
        [
            .. Enumerable.Range(1, 3).Select(j => ParameterSpec.Linear($"x{j}", center: 0.5, min: 0.0, max: 1.0, scale: 0.5)),
            ParameterSpec.Log("z", center: Math.Sqrt(FidelityMin * FidelityMax), min: FidelityMin, max: FidelityMax, scale: 0.5 * Math.Log10(FidelityMax / FidelityMin)),
        ];
    }

    public string Name => "mf-hartmann3";

    public string Description => "Held-out: MF-Hartmann-3, fidelity z ∈ [2,50] (b = 2), symmetric noise 0.5(1 − s) + 0.02, cost 0.1 + 0.9(z/50)^1.5";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => KnownOptimum;

    public double TotalBudget { get; }

    public static double FidelityFraction(double z) => Math.Log(z / FidelityMin) / Math.Log(FidelityMax / FidelityMin);

    public static double Value(ReadOnlySpan<double> x, double fidelityFraction) =>
        HartmannFamily.Value(x, Alpha, A, P, FidelityPenalty * (1.0 - fidelityFraction));

    public static double CostOf(double z) => 0.1 + (0.9 * Math.Pow(z / FidelityMax, 1.5));

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
        var sd = (NoiseScale * (1.0 - s)) + NoiseFloor;
        return new ProblemEvaluation(noiseFree + (sd * StandardNormal.Draw(noise)), noiseFree, CostOf(z));
    }

    private (double[] X, double Z) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var values = ProblemPoint.ReadAll(pointInParam, Parameters);
        return (values[..^1], values[^1]);
    }
}
