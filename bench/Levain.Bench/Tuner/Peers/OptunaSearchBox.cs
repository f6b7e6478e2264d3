using System.Text.Json.Nodes;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Peers;

/// <summary>
/// The box of a problem in the peer's terms: each numeric parameter becomes an Optuna float or int distribution over
/// [min, max], log-scaled when the Levain parameter is. Centers and scales have no Optuna counterpart.
/// </summary>
public static class OptunaSearchBox
{
    public static JsonArray From(IReadOnlyList<ParameterSpec> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var box = new JsonArray();
        foreach (var spec in parameters)
        {
            if (spec.Kind is not (ParameterKind.Linear or ParameterKind.Log))
            {
                throw new ArgumentException($"Parameter '{spec.Name}': the Optuna peer supports linear and log parameters, not {spec.Kind}.", nameof(parameters));
            }
            if (spec.Min is not { } min || spec.Max is not { } max)
            {
                throw new ArgumentException($"Parameter '{spec.Name}' needs both bounds for the Optuna peer.", nameof(parameters));
            }
            var isLog = spec.Kind == ParameterKind.Log;
            box.Add(new JsonObject
            {
                ["name"] = spec.Name,
                ["low"] = min,
                ["high"] = max,
                ["log"] = isLog,
                ["int"] = spec.IsInteger,
                ["step"] = spec.IsInteger && !isLog ? spec.Rounding : null,
            });
        }
        return box;
    }
}
