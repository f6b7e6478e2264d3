using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Levain.Tuning.Spaces;

/// <summary>
/// A parameter's value in parameter units: a number (linear/log/logit, integers included), a categorical choice,
/// a boolean flag, or simplex weights. Serializes to the natural JSON value (number, string, bool, array).
/// </summary>
[JsonConverter(typeof(ParamValueJsonConverter))]
public readonly struct ParamValue : IEquatable<ParamValue>
{
    private ParamValue(ParamValueKind kind, double number, string? choice, bool flag, ImmutableArray<double> weights)
    {
        Kind = kind;
        Number = number;
        Choice = choice;
        Flag = flag;
        Weights = weights;
    }

    public ParamValueKind Kind { get; }

    public double Number { get; }

    public string? Choice { get; }

    public bool Flag { get; }

    public ImmutableArray<double> Weights { get; }

    public static ParamValue FromNumber(double valueInParam) => new(ParamValueKind.Number, valueInParam, null, false, []);

    public static ParamValue FromChoice(string choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return new(ParamValueKind.Choice, double.NaN, choice, false, []);
    }

    public static ParamValue FromFlag(bool flag) => new(ParamValueKind.Flag, double.NaN, null, flag, []);

    public static ParamValue FromWeights(IEnumerable<double> weights) => new(ParamValueKind.Weights, double.NaN, null, false, [.. weights]);

    public static implicit operator ParamValue(double valueInParam) => FromNumber(valueInParam);

    public static implicit operator ParamValue(string choice) => FromChoice(choice);

    public static implicit operator ParamValue(bool flag) => FromFlag(flag);

    public static bool operator ==(ParamValue left, ParamValue right) => left.Equals(right);

    public static bool operator !=(ParamValue left, ParamValue right) => !left.Equals(right);

    public bool Equals(ParamValue other) => Kind == other.Kind && Kind switch
    {
        ParamValueKind.Number => Number.Equals(other.Number),
        ParamValueKind.Choice => string.Equals(Choice, other.Choice, StringComparison.Ordinal),
        ParamValueKind.Flag => Flag == other.Flag,
        _ => Weights.SequenceEqual(other.Weights),
    };

    public override bool Equals(object? obj) => obj is ParamValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        switch (Kind)
        {
            case ParamValueKind.Number: hash.Add(Number); break;
            case ParamValueKind.Choice: hash.Add(Choice, StringComparer.Ordinal); break;
            case ParamValueKind.Flag: hash.Add(Flag); break;
            default:
                foreach (var w in Weights) hash.Add(w);
                break;
        }
        return hash.ToHashCode();
    }

    /// <summary>Invariant text: "0.0003", "adamw", "true", "[0.25,0.75]" — what command-line placeholders receive.</summary>
    public override string ToString() => Kind switch
    {
        ParamValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        ParamValueKind.Choice => Choice!,
        ParamValueKind.Flag => Flag ? "true" : "false",
        _ => "[" + string.Join(",", Weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture))) + "]",
    };
}
