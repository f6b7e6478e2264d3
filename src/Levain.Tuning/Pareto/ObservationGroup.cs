using Levain.Tuning.Spaces;

namespace Levain.Tuning.Pareto;

/// <summary>Successful observations with identical inputs: their shared assignment, basic vector, mean cost and output.</summary>
internal sealed record ObservationGroup(
    string Key,
    IReadOnlyDictionary<string, ParamValue> Parameters,
    double[] XInBasic,
    double Cost,
    double Output,
    int Count)
{
    /// <summary>Identity of an assignment: its values in space order, invariant text (exact for doubles).</summary>
    public static string KeyOf(SearchSpace space, IReadOnlyDictionary<string, ParamValue> assignment) =>
        string.Join('\u001f', space.Parameters.Select(p => assignment.TryGetValue(p.Name, out var v) ? v.ToString() : ""));

    public ParetoPoint ToPoint() => new(Parameters, Cost, Output, Count);
}
