using Levain.Bench.Tuner.Problems;
using Levain.Bench.Tuner.Runs;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>
/// A diagnostic, not a method anyone could run: Levain's tuner with a stopping rule that knows the future. A run is
/// stopped after its <see cref="StopAfterPoints"/>-th curve point exactly when its finished run's noise-free value
/// would be dominated (worse or equal at no more cost, noise-free) by a run the study already completed — every run
/// a perfect "dominated at equal cost by the front" rule would stop, as early as such a rule could sensibly judge.
/// What it saves at equal regret bounds what any such rule can save with this tuner. Stopped runs are observed as
/// <see cref="EarlyStoppingMethod"/>'s are, except that without a complete shorter run the projection it is told is
/// exact: the run's own final (noisy) value (SearchRun). Runs only on <see cref="ICurveProblem"/>s, only when named.
/// </summary>
public sealed class DominanceOracleMethod(ISearchMethod inner) : ISearchMethod
{
    public const string MethodName = "levain-es-oracle";

    /// <summary>The 3rd point: stopping at the 1st saved less on learning-curve seeds 1000–1039 (a one-epoch shorter run teaches the model little).</summary>
    public const int StopAfterPoints = 3;

    public string Name => MethodName;

    public string Description => $"{inner.Description}, stopped by an oracle after {StopAfterPoints} curve points when the finished run would be dominated (noise-free) by a completed one";

    public ISearchSession Start(ICostAwareProblem problem, int seed) => new Session(inner.Start(problem, seed));

    private sealed class Session(ISearchSession inner) : ISearchSession, ICurveOracle
    {
        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction) => inner.Ask(budgetLeft, spentFraction);

        public int? StopIndex(IReadOnlyList<ProblemEvaluation> curve, IReadOnlyList<TraceEntry> completed)
        {
            var end = curve[^1];
            var dominated = completed.Any(t => t.Cost <= end.Cost && t.NoiseFreeValue <= end.NoiseFreeValue);
            return dominated && curve.Count > StopAfterPoints ? StopAfterPoints - 1 : null;
        }

        public void Tell(ProblemEvaluation evaluation) => inner.Tell(evaluation);

        public IReadOnlyDictionary<string, ParamValue>? Answer() => inner.Answer();

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>A session that sees a run's whole curve and the study's completed runs before choosing where to stop it (null: never).</summary>
public interface ICurveOracle
{
    int? StopIndex(IReadOnlyList<ProblemEvaluation> curve, IReadOnlyList<TraceEntry> completed);
}
