using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// The pruners' setting (run only when named): every run trains the same <see cref="Epochs"/> = 27 epochs, and only
/// width w ∈ [16, 1024] (log, integer) and learning rate lr ∈ [10⁻⁴, 1] (log) are searched. The curve family is
/// <see cref="LearningCurveProblem"/>'s (<see cref="LearningCurveProblem.Loss"/> at t = 27), cost w·27/64, observation
/// noise N(0, 0.02²/(1 + e/9)) after epoch e. Unlike on <c>learning-curve</c>, the search cannot choose short runs
/// itself: the only way to spend less on a poor learning rate is to stop its run early. The run length is not a
/// parameter, so a stopped run has no complete shorter run it amounts to (<see cref="ShortenedRun"/> is null) and the
/// tuner observes it as a partial run.
/// </summary>
public sealed class LearningCurveFixedProblem : ICurveProblem
{
    public const int Epochs = 27;

    /// <param name="totalBudget">Default 2500: about 23 full runs at width 256 (cost 108 each), 6 at the widest.</param>
    public LearningCurveFixedProblem(double totalBudget = 2500.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBudget);
        TotalBudget = totalBudget;
        // learning-curve's own w and lr (same bounds and centres), without its t.
        var family = new LearningCurveProblem().Parameters;
        Parameters = [family.Single(p => p.Name == "w"), family.Single(p => p.Name == "lr")];
    }

    public string Name => "learning-curve-fixed";

    public string Description => "Learning curve of learning-curve at a fixed 27 epochs (w and lr searched), cost w·27/64";

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public double OptimumValue => LearningCurveProblem.Loss(1024, Epochs, LearningCurveProblem.OptimalLearningRate(1024));

    public double TotalBudget { get; }

    public static double CostOf(double w, double epochs) => w * epochs / 64;

    private static double NoiseStdDev(double epochs) => 0.02 / Math.Sqrt(1 + (epochs / 9));

    public double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, lr) = Read(pointInParam);
        return LearningCurveProblem.Loss(w, Epochs, lr);
    }

    public double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        var (w, _) = Read(pointInParam);
        return CostOf(w, Epochs);
    }

    public ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, lr) = Read(pointInParam);
        var value = LearningCurveProblem.Loss(w, Epochs, lr);
        return new ProblemEvaluation(value + (NoiseStdDev(Epochs) * StandardNormal.Draw(noise)), value, CostOf(w, Epochs));
    }

    /// <summary>The run watched epoch by epoch: after epoch e ≤ 27, loss L(e) at cost w·e/64, noise as at e epochs.</summary>
    public IReadOnlyList<ProblemEvaluation> Curve(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var (w, lr) = Read(pointInParam);
        var curve = new List<ProblemEvaluation>(Epochs);
        for (var e = 1; e <= Epochs; e++)
        {
            var value = LearningCurveProblem.Loss(w, e, lr);
            curve.Add(new ProblemEvaluation(value + (NoiseStdDev(e) * StandardNormal.Draw(noise)), value, CostOf(w, e)));
        }
        return curve;
    }

    /// <summary>Null: the run length is not a parameter, so a stopped run is a partial observation of its own point.</summary>
    public IReadOnlyDictionary<string, ParamValue>? ShortenedRun(IReadOnlyDictionary<string, ParamValue> pointInParam, int points) => null;

    private (double W, double Lr) Read(IReadOnlyDictionary<string, ParamValue> pointInParam)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return (ProblemPoint.Read(pointInParam, Parameters[0]), ProblemPoint.Read(pointInParam, Parameters[1]));
    }
}
