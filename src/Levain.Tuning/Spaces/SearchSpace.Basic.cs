using System.Collections.ObjectModel;

namespace Levain.Tuning.Spaces;

/// <summary>Basic-space transforms: parameter units ↔ the tuner's basic vector (layout in <see cref="SearchSpace"/>).</summary>
public sealed partial class SearchSpace
{
    /// <summary>Smallest simplex weight represented in basic space.</summary>
    public const double SimplexWeightFloor = 1e-6;

    /// <summary>Bound on each centred-log-ratio simplex coordinate.</summary>
    public const double SimplexCoordinateLimit = 6.0;

    /// <summary>Maps a (valid) assignment in parameter units to a basic-space vector.</summary>
    public double[] ToBasic(IReadOnlyDictionary<string, ParamValue> assignmentInParam)
    {
        ArgumentNullException.ThrowIfNull(assignmentInParam);
        var xInBasic = new double[BasicDimension];
        for (var p = 0; p < _parameters.Length; p++)
        {
            var spec = _parameters[p];
            if (!assignmentInParam.TryGetValue(spec.Name, out var value))
            {
                throw new ArgumentException($"Parameter '{spec.Name}' is missing from the assignment.", nameof(assignmentInParam));
            }
            var offset = _offsets[p];
            switch (spec.Kind)
            {
                case ParameterKind.Categorical:
                    var index = IndexOfChoice(spec, value);
                    xInBasic[offset] = index;
                    break;
                case ParameterKind.Boolean:
                    xInBasic[offset] = RequireKind(spec, value, ParamValueKind.Flag).Flag ? 1 : 0;
                    break;
                case ParameterKind.Simplex:
                    WeightsToBasic(RequireKind(spec, value, ParamValueKind.Weights).Weights.AsSpan(), xInBasic.AsSpan(offset, spec.Choices.Count));
                    break;
                default:
                    xInBasic[offset] = _numeric[p]!.ToBasic(RequireKind(spec, value, ParamValueKind.Number).Number);
                    break;
            }
        }
        return xInBasic;
    }

    /// <summary>
    /// Maps a basic-space vector to parameter units: integers rounded half to even, categorical indices rounded and
    /// clamped, simplex coordinates through the base-10 softmax (weights sum to 1).
    /// </summary>
    public IReadOnlyDictionary<string, ParamValue> FromBasic(ReadOnlySpan<double> xInBasic)
    {
        if (xInBasic.Length != BasicDimension)
        {
            throw new ArgumentException($"A basic vector of this space has {BasicDimension} coordinates, not {xInBasic.Length}.", nameof(xInBasic));
        }
        var result = new Dictionary<string, ParamValue>(_parameters.Length, StringComparer.Ordinal);
        for (var p = 0; p < _parameters.Length; p++)
        {
            var spec = _parameters[p];
            var offset = _offsets[p];
            result[spec.Name] = spec.Kind switch
            {
                ParameterKind.Categorical => ParamValue.FromChoice(spec.Choices[CategoryIndex(xInBasic[offset], spec.Choices.Count)]),
                ParameterKind.Boolean => ParamValue.FromFlag(CategoryIndex(xInBasic[offset], 2) == 1),
                ParameterKind.Simplex => ParamValue.FromWeights(BasicToWeights(xInBasic.Slice(offset, spec.Choices.Count))),
                _ => ParamValue.FromNumber(_numeric[p]!.FromBasicRounded(xInBasic[offset])),
            };
        }
        return new ReadOnlyDictionary<string, ParamValue>(result);
    }

    /// <summary>
    /// Puts a basic vector in canonical form in place: integers rounded in parameter space (basic → parameter →
    /// round → basic), simplex coordinates projected onto their sum-zero plane, categorical indices rounded.
    /// </summary>
    public void Canonicalize(Span<double> xInBasic)
    {
        for (var p = 0; p < _parameters.Length; p++)
        {
            var offset = _offsets[p];
            switch (_parameters[p].Kind)
            {
                case ParameterKind.Categorical:
                case ParameterKind.Boolean:
                    xInBasic[offset] = CategoryIndex(xInBasic[offset], _categoryCounts[offset - ContinuousDimension]);
                    break;
                case ParameterKind.Simplex:
                    CenterBlock(xInBasic.Slice(offset, _parameters[p].Choices.Count));
                    break;
                default:
                    xInBasic[offset] = _numeric[p]!.Canonicalize(xInBasic[offset]);
                    break;
            }
        }
    }

    /// <summary>Whether every coordinate is finite and inside its basic-space bounds (the rejection test of A1).</summary>
    public bool IsWithinBounds(ReadOnlySpan<double> xInBasic)
    {
        if (xInBasic.Length != BasicDimension)
        {
            return false;
        }
        for (var p = 0; p < _parameters.Length; p++)
        {
            var offset = _offsets[p];
            switch (_parameters[p].Kind)
            {
                case ParameterKind.Categorical:
                case ParameterKind.Boolean:
                    var c = xInBasic[offset];
                    if (!double.IsFinite(c) || c < 0 || c >= _categoryCounts[offset - ContinuousDimension] || c != Math.Floor(c))
                    {
                        return false;
                    }
                    break;
                case ParameterKind.Simplex:
                    foreach (var b in xInBasic.Slice(offset, _parameters[p].Choices.Count))
                    {
                        if (!double.IsFinite(b) || Math.Abs(b) > SimplexCoordinateLimit)
                        {
                            return false;
                        }
                    }
                    break;
                default:
                    if (!_numeric[p]!.IsWithinBounds(xInBasic[offset]))
                    {
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    /// <summary>Subtracts the mean of a simplex block so its centred-log-ratio coordinates sum to zero.</summary>
    internal static void CenterBlock(Span<double> block)
    {
        var mean = 0.0;
        foreach (var b in block)
        {
            mean += b;
        }
        mean /= block.Length;
        for (var i = 0; i < block.Length; i++)
        {
            block[i] -= mean;
        }
    }

    internal static void WeightsToBasic(ReadOnlySpan<double> weights, Span<double> block)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            block[i] = Math.Log10(Math.Max(weights[i], SimplexWeightFloor));
        }
        CenterBlock(block);
    }

    internal static double[] BasicToWeights(ReadOnlySpan<double> block)
    {
        var max = double.NegativeInfinity;
        foreach (var b in block)
        {
            max = Math.Max(max, b);
        }
        var weights = new double[block.Length];
        var sum = 0.0;
        for (var i = 0; i < block.Length; i++)
        {
            weights[i] = Math.Pow(10.0, block[i] - max);
            sum += weights[i];
        }
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }
        return weights;
    }

    private static int CategoryIndex(double xInBasic, int count) =>
        double.IsFinite(xInBasic) ? (int)Math.Clamp(Math.Round(xInBasic, MidpointRounding.ToEven), 0, count - 1) : 0;

    private static int IndexOfChoice(ParameterSpec spec, ParamValue value)
    {
        var choice = RequireKind(spec, value, ParamValueKind.Choice).Choice!;
        for (var i = 0; i < spec.Choices.Count; i++)
        {
            if (string.Equals(spec.Choices[i], choice, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException($"Parameter '{spec.Name}': '{choice}' is not one of {string.Join(", ", spec.Choices)}.", "assignmentInParam");
    }

    private static ParamValue RequireKind(ParameterSpec spec, ParamValue value, ParamValueKind kind) =>
        value.Kind == kind
            ? value
            : throw new ArgumentException($"Parameter '{spec.Name}' ({spec.Kind}) needs a {kind} value, not a {value.Kind} ('{value}').", "assignmentInParam");
}
