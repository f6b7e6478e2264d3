using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// A problem whose evaluation is a learning curve that can be watched and cut short: the evaluations after each unit
/// of training, in order, with cumulative cost; the last one is the full evaluation.
/// </summary>
public interface ICurveProblem : ICostAwareProblem
{
    /// <summary>The curve of one run (observation noise drawn from <paramref name="noise"/>, one draw per point).</summary>
    IReadOnlyList<ProblemEvaluation> Curve(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise);
}
