using System.Globalization;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Reports;

/// <summary>
/// A parameter value as a person reads it in status lines and tables: numbers to five significant digits, choices by
/// name, a simplex as its named weights to two digits (<c>fortunes 0.2 · dict 0.27 · man_ru 0.53</c>).
/// </summary>
public static class ParameterText
{
    public static string Format(ParamValue value, ParameterSpec? spec) => value.Kind switch
    {
        ParamValueKind.Number => value.Number.ToString("G5", CultureInfo.InvariantCulture),
        ParamValueKind.Weights when spec is { Kind: ParameterKind.Simplex } && spec.Choices.Count == value.Weights.Length =>
            string.Join(" · ", spec.Choices.Select((c, i) => $"{c} {value.Weights[i].ToString("G2", CultureInfo.InvariantCulture)}")),
        ParamValueKind.Weights => "[" + string.Join(", ", value.Weights.Select(w => w.ToString("G2", CultureInfo.InvariantCulture))) + "]",
        _ => value.ToString(),
    };

    /// <summary>Every parameter as <c>name=value</c>, space separated (a simplex in parentheses).</summary>
    public static string FormatAll(IReadOnlyDictionary<string, ParamValue> parameters, IReadOnlyList<ParameterSpec> specs) =>
        string.Join(" ", parameters.Select(p =>
        {
            var text = Format(p.Value, specs.FirstOrDefault(s => s.Name == p.Key));
            return p.Value.Kind == ParamValueKind.Weights ? $"{p.Key}=({text})" : $"{p.Key}={text}";
        }));
}
