namespace Levain.Tuning.Spaces;

/// <summary>Checks one <see cref="ParameterSpec"/>; every message names the parameter and the field.</summary>
internal static class ParameterSpecValidator
{
    public const double SimplexSumTolerance = 1e-6;

    public static void Validate(ParameterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            throw new ArgumentException("Every parameter needs a non-empty Name.", "parameters");
        }
        switch (spec.Kind)
        {
            case ParameterKind.Linear:
            case ParameterKind.Log:
            case ParameterKind.Logit:
                ValidateNumeric(spec);
                break;
            case ParameterKind.Categorical:
                ValidateChoices(spec, minimum: 1);
                if (spec.CenterChoice is { } c && !spec.Choices.Contains(c, StringComparer.Ordinal))
                {
                    throw Fail(spec, "CenterChoice", $"'{c}' is not one of its Choices.");
                }
                break;
            case ParameterKind.Boolean:
                break;
            case ParameterKind.Simplex:
                ValidateChoices(spec, minimum: 2);
                if (spec.CenterWeights is { } w)
                {
                    ValidateWeights(spec.Name, "CenterWeights", w, spec.Choices.Count, requirePositive: true);
                }
                break;
            default:
                throw Fail(spec, "Kind", $"unknown kind {spec.Kind}.");
        }
    }

    /// <summary>Checks simplex weights: count, finite, non-negative (or positive), summing to 1 within 1e-6.</summary>
    public static void ValidateWeights(string name, string field, IReadOnlyList<double> weights, int count, bool requirePositive)
    {
        if (weights.Count != count)
        {
            throw new ArgumentException($"Parameter '{name}': {field} has {weights.Count} weights but the simplex has {count} components.", "parameters");
        }
        if (weights.Any(w => !double.IsFinite(w) || w < 0 || (requirePositive && w <= 0)))
        {
            throw new ArgumentException($"Parameter '{name}': {field} must be finite and {(requirePositive ? "positive" : "non-negative")}.", "parameters");
        }
        if (Math.Abs(weights.Sum() - 1.0) > SimplexSumTolerance)
        {
            throw new ArgumentException($"Parameter '{name}': {field} must sum to 1 (sum is {weights.Sum():R}).", "parameters");
        }
    }

    private static void ValidateNumeric(ParameterSpec spec)
    {
        if (spec.Center is not { } center || !double.IsFinite(center))
        {
            throw Fail(spec, "Center", "a numeric parameter needs a finite search center.");
        }
        if (!double.IsFinite(spec.Scale) || spec.Scale <= 0)
        {
            throw Fail(spec, "Scale", "must be positive and finite.");
        }
        if (spec.Min is { } min && !double.IsFinite(min))
        {
            throw Fail(spec, "Min", "must be finite when set.");
        }
        if (spec.Max is { } max && !double.IsFinite(max))
        {
            throw Fail(spec, "Max", "must be finite when set.");
        }
        if (spec.Min is { } lo && spec.Max is { } hi && lo >= hi)
        {
            throw Fail(spec, "Min", $"must be below Max ({lo:R} >= {hi:R}).");
        }
        if (spec.IsInteger && (!double.IsFinite(spec.Rounding) || spec.Rounding <= 0))
        {
            throw Fail(spec, "Rounding", "must be positive and finite for an integer parameter.");
        }
        if (spec.Kind == ParameterKind.Log)
        {
            if (!double.IsFinite(spec.LogBase) || spec.LogBase <= 1)
            {
                throw Fail(spec, "LogBase", "must be greater than 1.");
            }
            if (center <= 0)
            {
                throw Fail(spec, "Center", "a log parameter's center must be positive.");
            }
            if (spec.Min is < 0)
            {
                throw Fail(spec, "Min", "a log parameter's minimum must be at least 0.");
            }
        }
        if (spec.Kind == ParameterKind.Logit)
        {
            if (spec.IsInteger)
            {
                throw Fail(spec, "IsInteger", "a logit parameter is never an integer.");
            }
            if (center is <= 0 or >= 1)
            {
                throw Fail(spec, "Center", "a logit parameter's center must lie strictly between 0 and 1.");
            }
            if (spec.Min is < 0 || spec.Max is > 1)
            {
                throw Fail(spec, "Min", "a logit parameter's bounds must lie within [0, 1].");
            }
        }
        if ((spec.Min is { } l && center < l) || (spec.Max is { } h && center > h))
        {
            throw Fail(spec, "Center", $"{center:R} lies outside [{spec.Min?.ToString("R") ?? "-inf"}, {spec.Max?.ToString("R") ?? "inf"}].");
        }
    }

    private static void ValidateChoices(ParameterSpec spec, int minimum)
    {
        if (spec.Choices is null || spec.Choices.Count < minimum)
        {
            throw Fail(spec, "Choices", $"needs at least {minimum} entr{(minimum == 1 ? "y" : "ies")}.");
        }
        if (spec.Choices.Any(string.IsNullOrEmpty))
        {
            throw Fail(spec, "Choices", "entries must be non-empty.");
        }
        if (spec.Choices.Distinct(StringComparer.Ordinal).Count() != spec.Choices.Count)
        {
            throw Fail(spec, "Choices", "entries must be distinct.");
        }
    }

    private static ArgumentException Fail(ParameterSpec spec, string field, string problem) =>
        new($"Parameter '{spec.Name}': {field} {problem}", "parameters");
}
