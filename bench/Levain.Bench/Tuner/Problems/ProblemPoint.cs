using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Problems;

/// <summary>Reads numeric coordinates out of a point, checking them against the problem's box (misuse throws).</summary>
internal static class ProblemPoint
{
    // Methods hand back values that went through a float conversion or a JSON round trip: allow that much slack.
    private const double BoundSlack = 1e-9;

    public static double Read(IReadOnlyDictionary<string, ParamValue> pointInParam, ParameterSpec spec)
    {
        if (!pointInParam.TryGetValue(spec.Name, out var value))
        {
            throw new ArgumentException($"Point has no value for parameter '{spec.Name}'.", nameof(pointInParam));
        }
        if (value.Kind != ParamValueKind.Number || !double.IsFinite(value.Number))
        {
            throw new ArgumentException($"Parameter '{spec.Name}' needs a finite number, got '{value}'.", nameof(pointInParam));
        }
        var valueInParam = value.Number;
        var min = spec.Min ?? double.NegativeInfinity;
        var max = spec.Max ?? double.PositiveInfinity;
        var slack = BoundSlack * Math.Max(1.0, Math.Abs(valueInParam));
        if (valueInParam < min - slack || valueInParam > max + slack)
        {
            throw new ArgumentException($"Parameter '{spec.Name}' = {valueInParam} is outside [{min}, {max}].", nameof(pointInParam));
        }
        if (spec.IsInteger && Math.Abs(valueInParam - Math.Round(valueInParam)) > slack)
        {
            throw new ArgumentException($"Parameter '{spec.Name}' must be an integer, got {valueInParam}.", nameof(pointInParam));
        }
        return Math.Clamp(spec.IsInteger ? Math.Round(valueInParam) : valueInParam, min, max);
    }

    /// <summary>Every parameter's value, in the order of <paramref name="specs"/>.</summary>
    public static double[] ReadAll(IReadOnlyDictionary<string, ParamValue> pointInParam, IReadOnlyList<ParameterSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(pointInParam);
        return [.. specs.Select(spec => Read(pointInParam, spec))];
    }

    public static Dictionary<string, ParamValue> Of(params (string Name, double ValueInParam)[] coordinates) =>
        coordinates.ToDictionary(c => c.Name, c => ParamValue.FromNumber(c.ValueInParam), StringComparer.Ordinal);

    /// <summary>
    /// The point with its run-length parameter <paramref name="length"/> (an integer count of curve points) set to
    /// <paramref name="points"/>, which must lie in 1 … the point's own length; the other parameters unchanged.
    /// </summary>
    public static Dictionary<string, ParamValue> Shortened(IReadOnlyDictionary<string, ParamValue> pointInParam, ParameterSpec length, int points)
    {
        ArgumentNullException.ThrowIfNull(length);
        var planned = Read(pointInParam, length);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(points, (int)Math.Round(planned));
        var shortened = pointInParam.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        shortened[length.Name] = ParamValue.FromNumber(points);
        return shortened;
    }
}
