using System.Diagnostics;
using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Peers;
using Levain.Bench.Tuner.Problems;

namespace Levain.Bench.Tuner.Runs;

/// <summary>
/// Runs one ask/evaluate/tell loop until the cumulative cost reaches the budget (the evaluation that crosses it
/// still completes, but it does not count at that budget) or an evaluation cap is hit.
/// </summary>
public static class SearchRun
{
    public static RunResult Execute(ICostAwareProblem problem, ISearchMethod method, int seed, double budget, int maxEvaluations)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvaluations);
        var noise = new Random(NoiseSeed(problem.Name, seed));
        var trace = new List<TraceEntry>();
        var spent = 0.0;
        var askTicks = 0L;
        var wall = Stopwatch.StartNew();
        string? error = null;
        var stoppedEarly = false;
        var stopped = 0;
        try
        {
            using var session = method.Start(problem, seed);
            while (spent < budget && trace.Count < maxEvaluations)
            {
                var askStart = Stopwatch.GetTimestamp();
                var point = session.Ask(budget - spent, spent / budget);
                if (point is null)
                {
                    stoppedEarly = true;
                    break;
                }
                askTicks += Stopwatch.GetTimestamp() - askStart;
                ProblemEvaluation evaluation;
                if (problem is ICurveProblem curves)
                {
                    // Every method's run on a curve problem is its curve, whose last point is the full evaluation (noise
                    // drawn per point): so a method that watches curves sees exactly what the others see until it stops
                    // a run, and the comparison is paired. A stopped run's point is its evaluation (value and cost so
                    // far), with the complete shorter run it amounts to.
                    var curve = curves.Curve(point, noise);
                    evaluation = curve[^1];
                    if (session is ICurveOracle oracle && oracle.StopIndex(curve, trace) is int cut && cut < curve.Count - 1)
                    {
                        evaluation = curve[cut] with { IsPartial = true, ShortenedRun = curves.ShortenedRun(point, cut + 1) };
                        if (evaluation.ShortenedRun is null)
                        {
                            // Without a complete shorter run the oracle's projection is exact: the run's own final value.
                            evaluation = evaluation with { ProjectedFinal = curve[^1].ObservedValue, PlannedCost = curve[^1].Cost };
                        }
                        stopped++;
                    }
                    for (var i = 0; session is ICurveJudge judge && i < curve.Count; i++)
                    {
                        if (judge.Judge(curve[i], curve[^1].Cost))
                        {
                            if (i < curve.Count - 1)
                            {
                                evaluation = curve[i] with { IsPartial = true, ShortenedRun = curves.ShortenedRun(point, i + 1) };
                                stopped++;
                            }
                            break;
                        }
                    }
                }
                else
                {
                    evaluation = problem.Evaluate(point, noise);
                }
                var tellStart = Stopwatch.GetTimestamp();
                session.Tell(evaluation);
                var answer = session.Answer();
                askTicks += Stopwatch.GetTimestamp() - tellStart;
                trace.Add(new TraceEntry(evaluation.Cost, evaluation.ObservedValue, evaluation.NoiseFreeValue)
                {
                    AnswerNoiseFreeValue = answer is null ? null : problem.NoiseFreeValue(answer),
                    AnswerCost = answer is null ? null : problem.Cost(answer),
                });
                spent += evaluation.Cost;
            }
        }
        catch (OptunaPeerException ex)
        {
            error = ex.Message;
        }
        return new RunResult(problem.Name, method.Name, seed, trace, spent, wall.Elapsed.TotalSeconds,
            (double)askTicks / Stopwatch.Frequency, spent < budget && error is null && !stoppedEarly, error) { EarlyStopped = stopped };
    }

    /// <summary>The noise stream's seed: the same for every method on a (problem, seed) pair, different across pairs.</summary>
    public static int NoiseSeed(string problemName, int seed)
    {
        ArgumentNullException.ThrowIfNull(problemName);
        var hash = 2166136261u; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var ch in problemName)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return (int)((hash ^ (uint)seed * 2654435761u) & 0x7FFFFFFF);
    }
}
