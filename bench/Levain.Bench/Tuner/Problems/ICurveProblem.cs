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

    /// <summary>
    /// The parameters of the run that ends after the first <paramref name="points"/> points of the curve of
    /// <paramref name="pointInParam"/>: the same run with its length parameter set to that many units. The problems'
    /// curves do not depend on the planned length (no schedule tied to it), so a run stopped there is exactly a
    /// complete run of these parameters. Null when the run length is not a parameter (every run trains the same
    /// length): a stopped run is then observed as a partial run of <paramref name="pointInParam"/>.
    /// </summary>
    IReadOnlyDictionary<string, ParamValue>? ShortenedRun(IReadOnlyDictionary<string, ParamValue> pointInParam, int points);
}
