namespace Levain.Tuning.Spaces;

/// <summary>
/// One parameter of a search space, in parameter units. Numeric kinds use <see cref="Center"/>, bounds, scale,
/// integer flag and rounding; categorical uses <see cref="Choices"/> and <see cref="CenterChoice"/>; boolean uses
/// <see cref="CenterFlag"/>; simplex uses <see cref="Choices"/> as component names and <see cref="CenterWeights"/>.
/// Validation happens when a <see cref="SearchSpace"/> is built.
/// </summary>
public sealed record ParameterSpec
{
    public required string Name { get; init; }

    public required ParameterKind Kind { get; init; }

    /// <summary>Search center in parameter units (numeric kinds).</summary>
    public double? Center { get; init; }

    /// <summary>Lower bound in parameter units (numeric kinds); log defaults to 0 exclusive, logit to (0, 1).</summary>
    public double? Min { get; init; }

    /// <summary>Upper bound in parameter units (numeric kinds).</summary>
    public double? Max { get; init; }

    /// <summary>Basic-space units per parameter-space step (default 1).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Base of the logarithm for <see cref="ParameterKind.Log"/> (default 10).</summary>
    public double LogBase { get; init; } = 10.0;

    public bool IsInteger { get; init; }

    /// <summary>Integer parameters round to the nearest multiple of this step, half to even (default 1).</summary>
    public double Rounding { get; init; } = 1.0;

    /// <summary>Categorical choices, or simplex component names.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Center of a categorical parameter (defaults to the first choice).</summary>
    public string? CenterChoice { get; init; }

    /// <summary>Center of a boolean parameter (defaults to false).</summary>
    public bool? CenterFlag { get; init; }

    /// <summary>Center of a simplex parameter (defaults to equal weights).</summary>
    public IReadOnlyList<double>? CenterWeights { get; init; }

    public static ParameterSpec Linear(string name, double center, double? min = null, double? max = null, bool isInteger = false, double rounding = 1.0, double scale = 1.0) =>
        new() { Name = name, Kind = ParameterKind.Linear, Center = center, Min = min, Max = max, IsInteger = isInteger, Rounding = rounding, Scale = scale };

    public static ParameterSpec Log(string name, double center, double? min = null, double? max = null, bool isInteger = false, double rounding = 1.0, double scale = 1.0, double logBase = 10.0) =>
        new() { Name = name, Kind = ParameterKind.Log, Center = center, Min = min, Max = max, IsInteger = isInteger, Rounding = rounding, Scale = scale, LogBase = logBase };

    public static ParameterSpec Logit(string name, double center, double? min = null, double? max = null, double scale = 1.0) =>
        new() { Name = name, Kind = ParameterKind.Logit, Center = center, Min = min, Max = max, Scale = scale };

    public static ParameterSpec Categorical(string name, IReadOnlyList<string> choices, string? center = null) =>
        new() { Name = name, Kind = ParameterKind.Categorical, Choices = choices, CenterChoice = center };

    public static ParameterSpec Boolean(string name, bool center = false) =>
        new() { Name = name, Kind = ParameterKind.Boolean, CenterFlag = center };

    public static ParameterSpec Simplex(string name, IReadOnlyList<string> components, IReadOnlyList<double>? centerWeights = null) =>
        new() { Name = name, Kind = ParameterKind.Simplex, Choices = components, CenterWeights = centerWeights };
}
