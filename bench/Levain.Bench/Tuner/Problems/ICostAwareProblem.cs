using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// A benchmark problem with a cost per evaluation and a known optimum. Minimised. The parameters are both the Levain
/// search space (centers, scales) and the box every method searches (their bounds). Points are in parameter units.
/// </summary>
public interface ICostAwareProblem
{
    /// <summary>Short identifier used on the command line and in JSON (kebab-case).</summary>
    string Name { get; }

    /// <summary>One line: the formula family and where it comes from.</summary>
    string Description { get; }

    /// <summary>Parameters with centers, scales and (always) bounds; integer flags mark integer parameters.</summary>
    IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The minimum of <see cref="NoiseFreeValue"/> over the whole box (fidelity included).</summary>
    double OptimumValue { get; }

    /// <summary>Cumulative cost of a full run (the 100 % budget).</summary>
    double TotalBudget { get; }

    /// <summary>The objective without observation noise, at the point's own fidelity.</summary>
    double NoiseFreeValue(IReadOnlyDictionary<string, ParamValue> pointInParam);

    /// <summary>The cost of evaluating the point.</summary>
    double Cost(IReadOnlyDictionary<string, ParamValue> pointInParam);

    /// <summary>One evaluation: draws the observation noise (if the problem has any) from <paramref name="noise"/>.</summary>
    ProblemEvaluation Evaluate(IReadOnlyDictionary<string, ParamValue> pointInParam, Random noise);
}
