using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>One sequential ask/tell search: every <see cref="Ask"/> is answered by one <see cref="Tell"/>.</summary>
public interface ISearchSession : IDisposable
{
    /// <summary>
    /// The next point to evaluate, in parameter units, inside the problem's box; null when the method stops (a
    /// budget-aware method finds nothing affordable in <paramref name="budgetLeft"/>). Methods that do not know
    /// budgets ignore both arguments.
    /// </summary>
    IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction);

    /// <summary>The evaluation of the point of the last <see cref="Ask"/> (the method sees the observed value and cost).</summary>
    void Tell(ProblemEvaluation evaluation);

    /// <summary>
    /// The point the method reports as its best so far — one it has evaluated (told) — or null to report the best
    /// observed point. Called after every <see cref="Tell"/>; the regret is the answer's noise-free value.
    /// </summary>
    IReadOnlyDictionary<string, ParamValue>? Answer() => null;
}
