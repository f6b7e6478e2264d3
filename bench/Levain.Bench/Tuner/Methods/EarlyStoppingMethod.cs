using Levain.Bench.Tuner.Problems;
using Levain.Tuning;
using Levain.Tuning.EarlyStopping;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>
/// Levain's tuner with early stopping: each suggestion's
/// learning curve is watched point by point and judged by front dominance (<see cref="FrontDominance"/>, the
/// benchmark's default), cost-aware ASHA (<see cref="CostAwareAsha"/>), or both (either may stop a run). A stopped run's last point (its value at
/// the cost spent) is what the tuner observes, as the complete shorter run it amounts to
/// (<see cref="ProblemEvaluation.ShortenedRun"/>); when the problem's run length is not a parameter
/// (<see cref="LearningCurveFixedProblem"/>) there is none, and the tuner is told a partial observation of the point
/// asked for with front dominance's estimate of the run's value at its planned end, at the planned cost
/// (<see cref="StoppedRunObservation"/>; the budget is still charged the cost spent). Runs only on <see cref="ICurveProblem"/>s.
/// </summary>
public sealed class EarlyStoppingMethod(ISearchMethod inner, EarlyStoppingOptions? options, FrontDominanceOptions? front = null) : ISearchMethod
{
    public const string MethodName = "levain-es";

    public string Name => MethodName;

    public string Description => $"{inner.Description}, early stopping by " + string.Join(" or ", new[]
    {
        front is null ? null : $"front dominance (from cost {front.MinCost}, window {front.Window}x, {front.Confidence} standard errors, {front.MinPoints} points)",
        options is null ? null : $"cost-aware ASHA (first rung at cost {options.MinCost}, η {options.Reduction}, {options.MinTrials} values per rung)",
    }.Where(s => s is not null));

    public ISearchSession Start(ICostAwareProblem problem, int seed) =>
        new Session(inner.Start(problem, seed), options is null ? null : new CostAwareAsha(options, Direction.Minimize), front is null ? null : new FrontDominance(front, Direction.Minimize));

    /// <summary>Wraps a Levain session and judges the curve of the point it asked for last.</summary>
    private sealed class Session(ISearchSession inner, CostAwareAsha? rule, FrontDominance? front) : ISearchSession, ICurveJudge
    {
        private int _trial;
        private double _planned = double.NaN;
        private double _projected = double.NaN;

        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction)
        {
            _trial++;
            return inner.Ask(budgetLeft, spentFraction);
        }

        public bool Judge(ProblemEvaluation partial, double plannedCost)
        {
            var trial = _trial.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Both rules see every point (each keeps its own record of the curves); either may stop the run.
            var decision = front?.Report(trial, partial.Cost, partial.ObservedValue, plannedCost);
            var byFront = decision?.Stop ?? false;
            var byAsha = rule?.Report(trial, partial.Cost, partial.ObservedValue, plannedCost).Stop ?? false;
            _planned = plannedCost;
            _projected = byFront ? decision!.ProjectedFinal : double.NaN;
            if (byAsha && !byFront && front is not null)
            {
                _projected = front.ProjectFinal(trial, plannedCost) ?? double.NaN;
            }
            return byFront || byAsha;
        }

        /// <summary>
        /// A stopped run without a complete shorter run is told with the rule's estimate of its value at its planned
        /// cost (<see cref="FrontDecision.ProjectedFinal"/>) when the rule made one.
        /// </summary>
        public void Tell(ProblemEvaluation evaluation) => inner.Tell(
            evaluation is { IsPartial: true, ShortenedRun: null } && double.IsFinite(_projected)
                ? evaluation with { ProjectedFinal = _projected, PlannedCost = _planned }
                : evaluation);

        public IReadOnlyDictionary<string, ParamValue>? Answer() => inner.Answer();

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>A session that watches learning curves: true stops the current run at this point.</summary>
public interface ICurveJudge
{
    bool Judge(ProblemEvaluation partial, double plannedCost);
}
